"""Types shared by several domains: entity types, levels, paging, and who sees persons' names."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi.responses import Response
from pydantic import BaseModel, Field

from serving.config import User
from serving.api.deps import reads_names

EntityType = Literal["official", "enterprise", "tender"]
Level = Literal["red", "orange", "yellow", "none"]
MAX_PAGE = 1000


class Paging(BaseModel):
    total: int = Field(description="rows matching the filters, all pages together")
    limit: int
    offset: int


def shown_name(name: str | None, is_person: bool, user: User) -> str | None:
    """A person's name only for the roles that may read names; anything else always."""
    return name if (not is_person or reads_names(user)) else None


def pseudonym(entity_id: str, is_person: bool) -> str | None:
    """Persons are known by their pseudonymous id (the contract's person_id)."""
    return entity_id if is_person else None


def parse_json(text: str | None, default: Any) -> Any:
    return json.loads(text) if text else default


def json_response(model: BaseModel) -> Response:
    """The model as JSON, as built: the route's response_model still documents it, but FastAPI
    does not validate it a second time (the hot read paths: dossier and rankings)."""
    return Response(model.__pydantic_serializer__.to_json(model), media_type="application/json")
