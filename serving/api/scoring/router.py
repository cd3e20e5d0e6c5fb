"""POST /score/{entity_type}: what would the champion say about this feature row?"""

from __future__ import annotations

from fastapi import APIRouter

from rulebook.hits import with_rule_features

from serving.api.common import EntityType
from serving.api.deps import Caller, Config, State
from serving.api.errors import ApiError, responses
from serving.api.scoring import scoring
from serving.api.scoring.schemas import Reason, ScoreIn, ScoreOut

router = APIRouter(tags=["scoring"], responses=responses(401, 403))


def _check_names(posted: dict, known: list[str], entity_type: str) -> None:
    unknown = sorted(set(posted) - set(known))
    if unknown:
        raise ApiError(422, "unknown_features",
                       f"unknown features for {entity_type}: {', '.join(unknown)}",
                       unknown=unknown)


@router.post("/score/{entity_type}", response_model=ScoreOut, responses=responses(503),
             summary="What-if score of a feature row with the champion model")
def what_if(entity_type: EntityType, body: ScoreIn, user: Caller, state: State,
            config: Config) -> ScoreOut:
    """Calibrated and raw score, the level by thresholds, the model version and the reasons.
    Unknown feature names are refused (422, naming them); features left out are unknown."""
    champion = state.champions.get(entity_type)
    if champion is None:
        _check_names(body.features, state.registry.names(entity_type), entity_type)
        raise ApiError(503, "no_champion", f"no champion model for {entity_type} is registered")
    model = champion.model
    names = with_rule_features(state.registry, model.rules)  # its rule_<id> hit columns too
    _check_names(body.features, names.names(entity_type), entity_type)
    _check_names(body.features, model.features, entity_type)
    row = scoring.feature_row(model, body.features)
    scored = scoring.score_row(model, row)
    explained = scoring.reasons(model, row, scored.contributions, names,
                                config.reasons_per_entity)
    return ScoreOut(
        entity_type=entity_type, model_version=champion.registered.label, score=scored.score,
        raw_score=scored.raw, level=scoring.level_by_threshold(scored.score, config),
        reasons=[Reason(**r) for r in explained],
        missing=[n for n in model.features if body.features.get(n) is None],
    )
