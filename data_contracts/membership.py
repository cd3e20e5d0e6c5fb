"""`isin` for Arrow-backed strings without a Python loop.

pandas' `Series.isin` on a pyarrow string column turns every value it is given into a Python
scalar first: against the two million tender ids of a large delivery that is a minute of the
foreign-key checks. `isin` here hands both sides to Arrow's `is_in` and answers exactly what
`Series.isin` answers (a boolean Series on the same index; a null matches only a null among
the values); anything else falls back to `Series.isin`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _arrow_strings(series: pd.Series) -> bool:
    dtype = series.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _as_arrow(values, type_: pa.DataType) -> pa.Array | pa.ChunkedArray | None:
    """`values` as Arrow strings of `type_`, or None if they are not all text (or null)."""
    if isinstance(values, pd.Series | pd.Index) and _arrow_strings(pd.Series(values, copy=False)):
        array = pa.array(values.array)
    else:
        try:
            array = pa.array(np.asarray(values, dtype=object), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            return None
        if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
                or pa.types.is_null(array.type)):
            return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks else pa.array([], type=type_)
    return array.cast(type_)


def isin(series: pd.Series, values) -> pd.Series:
    """`series.isin(values)`, in Arrow when `series` holds pyarrow strings."""
    if not _arrow_strings(series):
        return series.isin(values)
    target = pa.array(series.array)
    value_set = _as_arrow(values, target.type)
    if value_set is None:
        return series.isin(values)
    if len(value_set) == 0:
        found = np.zeros(len(series), dtype=bool)
    else:
        found = np.asarray(pc.is_in(target, value_set=value_set, skip_nulls=False),
                           dtype=bool)
    return pd.Series(found, index=series.index, name=series.name)
