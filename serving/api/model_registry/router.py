"""GET /models: champion and challenger per entity type, with their gate tags and metrics."""

from __future__ import annotations

from fastapi import APIRouter

from serving.api.deps import Caller, State
from serving.api.errors import ApiError, responses
from serving.api.model_registry.schemas import ModelsOut, ModelVersion, TypeModels
from serving.api.state import ENTITY_TYPES

router = APIRouter(tags=["models"], responses=responses(401, 403))
MEAN = "mean."


def version_of(client, name: str, alias: str) -> ModelVersion | None:  # noqa: ANN001
    from mlflow.exceptions import MlflowException

    try:
        version = client.get_model_version_by_alias(name, alias)
    except MlflowException:  # no such model or alias
        return None
    run = client.get_run(version.run_id)
    return ModelVersion(
        alias=alias, version=str(version.version), label=f"{name}/{version.version}",
        run_id=version.run_id, tags=dict(version.tags), gate=run.data.tags.get("gate"),
        mean_metrics={k.removeprefix(MEAN): v for k, v in run.data.metrics.items()
                      if k.startswith(MEAN)},
    )


@router.get("/models", response_model=ModelsOut, responses=responses(503),
            summary="Champion and challenger per entity type")
def models(user: Caller, state: State) -> ModelsOut:
    import mlflow
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    from training.tracking import CHALLENGER, CHAMPION, model_name

    mlflow.set_tracking_uri(state.settings.mlflow_tracking_uri)
    try:
        client = MlflowClient()
        loaded = state.champions.versions()
        return ModelsOut(types=[
            TypeModels(entity_type=t, registered_model=model_name(t),
                       champion=version_of(client, model_name(t), CHAMPION),
                       challenger=version_of(client, model_name(t), CHALLENGER), loaded=loaded[t])
            for t in ENTITY_TYPES
        ])
    except MlflowException as error:  # an unreachable store is an operational state
        raise ApiError(503, "registry_unavailable", f"the model registry does not answer: "
                                                    f"{type(error).__name__}") from error
