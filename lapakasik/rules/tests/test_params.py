"""The parameter loader: dated values, clear errors on gaps, no floats, every value cited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lapakasik.rules import params
from lapakasik.rules.documents import document_labels
from lapakasik.rules.params import ParameterError, ParameterNotDefined, parse_parameter_file


def test_it_returns_the_value_in_force_on_the_date() -> None:
    assert params.value("jkm.lump_sum", date(2019, 12, 1)) == 16_200_000
    assert params.value("jkm.lump_sum", date(2019, 12, 2)) == 20_000_000


def test_it_raises_a_clear_error_after_the_last_recorded_period() -> None:
    with pytest.raises(ParameterNotDefined) as raised:
        params.value("jp.wage_ceiling", date(2027, 3, 1))
    assert raised.value.name == "jp.wage_ceiling"
    assert raised.value.on == date(2027, 3, 1)
    assert "jp.wage_ceiling" in str(raised.value) and "2027-03-01" in str(raised.value)


def test_it_raises_before_the_first_period() -> None:
    with pytest.raises(ParameterNotDefined):
        params.value("jkk.funeral", date(2015, 6, 30))


def test_it_raises_in_a_gap_between_periods() -> None:
    with pytest.raises(ParameterNotDefined, match="jp.pension_minimum"):
        params.value("jp.pension_minimum", date(2021, 6, 1))


def test_it_never_falls_back_to_the_last_known_development_rate() -> None:
    assert params.value("jht.development_rate", date(2020, 12, 31)) == Decimal("5.63")
    with pytest.raises(ParameterNotDefined):
        params.value("jht.development_rate", date(2021, 1, 1))


def test_quoted_decimals_load_as_decimal() -> None:
    assert params.value("jht.contribution_rate", date(2020, 1, 1)) == Decimal("5.7")


def test_lookup_carries_the_reference_and_doubt() -> None:
    found = params.lookup("jp.wage_ceiling", date(2021, 3, 1))
    assert found.value == 8_754_600
    assert found.valid_from == date(2021, 3, 1) and found.valid_to == date(2022, 2, 28)
    assert "PP 45/2015" in found.ref
    assert found.doubt


def test_params_on_lists_what_is_in_force_with_its_source() -> None:
    rows = {row["name"]: row for row in params.params_on(date(2020, 3, 1))}
    assert rows["jp.wage_ceiling"]["value"] == 8_939_700
    assert rows["jp.wage_ceiling"]["valid_from"] == date(2020, 3, 1)
    assert rows["jkm.lump_sum"]["ref"].startswith("PP 82/2019")
    assert set(rows["jkm.lump_sum"]) == {
        "name",
        "value",
        "unit",
        "valid_from",
        "valid_to",
        "ref",
        "doubt",
        "confirmed_on",
        "review_by",
    }
    assert "jkm.scholarship.lump_sum" not in rows
    assert "jkm.scholarship.lump_sum" in params.params_missing_on(date(2020, 3, 1))


def test_every_recorded_period_cites_a_reference_and_explains_any_doubt() -> None:
    for parameter in params.load_parameters().values():
        assert parameter.unit, parameter.name
        for period in parameter.periods:
            assert period.ref.strip(), parameter.name
            assert period.doubt is None or len(period.doubt) > 20, parameter.name


def test_every_document_in_a_checklist_has_labels_in_both_languages() -> None:
    labels = document_labels()
    for name, parameter in params.load_parameters().items():
        if not name.startswith("documents."):
            continue
        for period in parameter.periods:
            for entry in period.value:
                code = entry if isinstance(entry, str) else entry["code"]
                assert labels[code]["id"] and labels[code]["en"], code


def test_an_unknown_parameter_name_is_a_programming_error() -> None:
    with pytest.raises(ParameterError, match="unknown parameter"):
        params.value("jkm.no_such_thing", date(2020, 1, 1))


def _file(values: str) -> str:
    return (
        f"x.rate:\n  unit: percent\n  confirmed_on: 2026-12-01\n  review_by: 2027-12-01\n  values:\n{values}"
    )


def test_overlapping_periods_are_refused() -> None:
    text = _file(
        "    - {value: 1, valid_from: 2020-01-01, valid_to: 2020-12-31, ref: A}\n"
        "    - {value: 2, valid_from: 2020-06-01, ref: B}\n"
    )
    with pytest.raises(ParameterError, match="overlaps"):
        parse_parameter_file(text)


def test_an_open_ended_period_followed_by_another_is_refused() -> None:
    text = _file(
        "    - {value: 1, valid_from: 2020-01-01, ref: A}\n    - {value: 2, valid_from: 2021-01-01, ref: B}\n"
    )
    with pytest.raises(ParameterError, match="overlaps"):
        parse_parameter_file(text)


def test_floats_are_refused() -> None:
    with pytest.raises(ParameterError, match="floats are not allowed"):
        parse_parameter_file(_file("    - {value: 5.7, valid_from: 2020-01-01, ref: A}\n"))


def test_a_value_without_reference_is_refused() -> None:
    with pytest.raises(ParameterError, match="ref"):
        parse_parameter_file(_file("    - {value: 1, valid_from: 2020-01-01}\n"))


def test_valid_to_before_valid_from_is_refused() -> None:
    with pytest.raises(ParameterError, match="valid_to"):
        parse_parameter_file(
            _file("    - {value: 1, valid_from: 2020-01-01, valid_to: 2019-01-01, ref: A}\n")
        )


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ParameterError, match="unknown keys"):
        parse_parameter_file(_file("    - {value: 1, valid_from: 2020-01-01, ref: A, note: x}\n"))


def test_gaps_between_periods_are_allowed_and_answered_with_an_error() -> None:
    text = _file(
        "    - {value: 1, valid_from: 2020-01-01, valid_to: 2020-12-31, ref: A}\n"
        "    - {value: 2, valid_from: 2022-01-01, ref: B}\n"
    )
    parameter = parse_parameter_file(text)["x.rate"]
    assert parameter.period_on(date(2022, 5, 1)).value == 2
    with pytest.raises(ParameterNotDefined):
        parameter.period_on(date(2021, 5, 1))


def test_a_parameter_without_review_dates_is_refused() -> None:
    text = "x.rate:\n  unit: percent\n  values:\n    - {value: 1, valid_from: 2020-01-01, ref: A}\n"
    with pytest.raises(ParameterError, match="confirmed_on"):
        parse_parameter_file(text)


def test_a_review_date_before_the_confirmation_is_refused() -> None:
    text = _file("    - {value: 1, valid_from: 2020-01-01, ref: A}\n").replace("2027-12-01", "2026-11-01")
    with pytest.raises(ParameterError, match="review_by"):
        parse_parameter_file(text)


def test_every_parameter_carries_its_review_dates() -> None:
    for name, parameter in params.load_parameters().items():
        assert parameter.review_by is not None, name


def test_stale_lists_parameters_past_review_or_never_confirmed() -> None:
    names = {row["name"]: row for row in params.stale_parameters(date(2027, 3, 2))}
    assert "jp.wage_ceiling" in names  # a new ceiling every March: due on 1 Mar 2027
    assert names["jp.survivor_share"]["never_confirmed"]  # [U]: nobody checked it against the text
    assert "jkm.lump_sum" not in names  # confirmed in the Dec 2026 review, due Dec 2027
    assert "jp.wage_ceiling" not in {row["name"] for row in params.stale_parameters(date(2027, 3, 1))}


def test_a_reloaded_parameter_file_is_what_the_next_lookup_reads(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Look-ups are remembered per (name, date) for the loaded parameter set; a reload must not leave
    # the old files' figures answering.
    on = date(2020, 6, 1)

    @params.per_parameter_set
    def lump_sum_on(day: date) -> int:
        return int(params.value("jkm.lump_sum", day))

    assert params.lookup("jkm.lump_sum", on).value == 20_000_000
    assert lump_sum_on(on) == 20_000_000
    for source in params.PARAMS_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        if source.name == "jkm.yaml":
            text = text.replace("    - value: 20000000\n", "    - value: 21000000\n", 1)
        (tmp_path / source.name).write_text(text, encoding="utf-8")  # type: ignore[operator]
    monkeypatch.setattr(params, "PARAMS_DIR", tmp_path)
    params.load_parameters.cache_clear()
    try:
        assert params.lookup("jkm.lump_sum", on).value == 21_000_000
        assert params.value("jkm.lump_sum", on) == 21_000_000
        assert lump_sum_on(on) == 21_000_000  # a decision remembered from the old set is not reused
    finally:
        monkeypatch.undo()
        params.load_parameters.cache_clear()
    assert params.lookup("jkm.lump_sum", on).value == 20_000_000
    assert lump_sum_on(on) == 20_000_000


def test_a_gap_raises_every_time_it_is_asked() -> None:
    for _ in range(2):
        with pytest.raises(ParameterNotDefined, match="jht.development_rate.*2017-12-31"):
            params.lookup("jht.development_rate", date(2017, 12, 31))
