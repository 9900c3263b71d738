"""The additive fit behind the adjusted score, against numpy's dense least squares (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kipp import adjustment
from kipp.adjustment import DisconnectedPanels


@st.composite
def designs(draw: st.DrawFn) -> np.ndarray:
    """An [entry, juror] matrix of totals: each entry scored by 1–3 of its jurors, NaN elsewhere."""
    n_entries, n_jurors = draw(st.integers(2, 30)), draw(st.integers(2, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    totals = np.full((n_entries, n_jurors), np.nan)
    for e in range(n_entries):
        jurors = rng.choice(n_jurors, size=rng.integers(1, min(3, n_jurors) + 1), replace=False)
        totals[e, jurors] = rng.uniform(40, 95, size=len(jurors))
    totals[rng.integers(n_entries), :] = np.nan  # an entry with no complete sheet yet
    return totals


def dense_fit(totals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same fit by numpy's dense least squares on the full design (entry and juror dummies)."""
    present = ~np.isnan(totals)
    rows, columns = present.any(axis=1), present.any(axis=0)
    sub, values = present[np.ix_(rows, columns)], totals[np.ix_(rows, columns)]
    n_entries, n_jurors = sub.shape
    e, j = np.nonzero(sub)
    design = np.zeros((len(e), n_entries + n_jurors))
    design[np.arange(len(e)), e] = 1.0
    design[np.arange(len(e)), n_entries + j] = 1.0
    target = values[e, j]
    solution = np.linalg.lstsq(design, target, rcond=None)[0]
    centring = np.hstack([np.zeros((n_jurors, n_entries)), np.eye(n_jurors) - 1.0 / n_jurors])
    effects = centring @ solution
    scores = solution[:n_entries] + solution[n_entries:].mean()
    freedom = len(e) - n_entries - n_jurors + 1
    variance = ((target - design @ solution) ** 2).sum() / freedom if freedom > 0 else np.nan
    covariance = variance * centring @ np.linalg.pinv(design.T @ design) @ centring.T
    return scores, effects, np.sqrt(np.clip(np.diag(covariance), 0.0, None))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(totals=designs())
def test_adjusted_fit_equals_dense_least_squares_on_connected_designs(totals: np.ndarray) -> None:
    assume(adjustment.components(~np.isnan(totals)).max() == 0)
    fit = adjustment.additive_fit(totals)
    scores, effects, se = dense_fit(totals)
    present = ~np.isnan(totals)
    np.testing.assert_allclose(fit.scores[present.any(axis=1)], scores, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fit.effects[present.any(axis=0)], effects, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fit.se[present.any(axis=0)], se, rtol=0, atol=1e-9, equal_nan=True)
    assert np.isnan(fit.scores[~present.any(axis=1)]).all()
    # the adjusted score is the mean of the entry's totals less its jurors' effects
    rows = present.any(axis=1)
    corrected = np.nanmean((totals - fit.effects[None, :])[rows], axis=1)
    np.testing.assert_allclose(fit.scores[rows], corrected, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(totals=designs())
def test_a_design_is_rejected_exactly_when_it_is_disconnected(totals: np.ndarray) -> None:
    groups = adjustment.components(~np.isnan(totals)).max() + 1
    if groups > 1:
        with pytest.raises(DisconnectedPanels) as raised:
            adjustment.additive_fit(totals)
        assert len(raised.value.groups) == groups
        assert sum(group.entries for group in raised.value.groups) == (~np.isnan(totals)).any(axis=1).sum()
    else:
        assert not np.isnan(adjustment.additive_fit(totals).effects[(~np.isnan(totals)).any(axis=0)]).any()
