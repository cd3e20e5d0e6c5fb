"""Schemas of /models."""

from __future__ import annotations

from pydantic import BaseModel, Field

from serving.api.common import EntityType


class ModelVersion(BaseModel):
    alias: str
    version: str
    label: str = Field(description="registry name and version, as rankings name it")
    run_id: str
    tags: dict[str, str] = Field(description="the version's tags: promotion, gate, ...")
    gate: str | None = Field(description="the gate's verdict when the version was trained")
    mean_metrics: dict[str, float] = Field(description="metrics averaged over the temporal "
                                                       "splits, e.g. model.precision_at_k")


class TypeModels(BaseModel):
    entity_type: EntityType
    registered_model: str
    champion: ModelVersion | None
    challenger: ModelVersion | None
    loaded: str | None = Field(description="the champion this process scores with")


class ModelsOut(BaseModel):
    types: list[TypeModels]
