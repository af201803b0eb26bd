import pytest

from lapakasik.claims.history import HistoryFileError, import_history, parse_history
from lapakasik.claims.models import Claim, ClaimEvent
from lapakasik.registry.models import Participant

HEADER = "branch,program,region,nik,kpj,reason,channel,submitted_date,paid_date,amount,full_name\n"
GOOD = (
    HEADER
    + "madiun,JHT,Ngawi,3521095203900007,29000000001,phk,online,2021-03-01,2021-03-05,15250000,Tri Lestari\n"
    + "madiun,JKM,Pacitan,3501041506700008,29000000002,death,offline,2021-03-02,2021-03-09,42000000,Joko Santoso\n"
)


def test_a_good_file_imports_every_row_and_creates_the_people(db):
    rows, errors = parse_history(GOOD)
    assert errors == []
    result = import_history(rows)
    assert (result.imported, result.participants_created) == (2, 2)
    tri = Participant.objects.get(nik="3521095203900007")
    assert (tri.full_name, tri.sex, str(tri.birth_date), tri.region_id) == (
        "Tri Lestari",
        "F",
        "1990-03-12",
        "35.21.09",
    )
    claim = Claim.objects.get(participant=tri)
    assert (claim.status, claim.area.name, claim.amount_paid) == ("paid", "Ngawi", 15250000)
    assert ClaimEvent.objects.filter(claim=claim, action="imported").count() == 1


def test_importing_the_same_file_twice_adds_nothing(db):
    import_history(parse_history(GOOD)[0])
    again = import_history(parse_history(GOOD)[0])
    assert (again.imported, again.already_imported) == (0, 2)


def test_bad_rows_are_reported_with_line_and_column_and_nothing_is_imported(db):
    text = GOOD + (
        "madiun,JHT,Ngawi,35210952039000,29000000003,phk,online,2021-03-01,2021-03-05,1000,X\n"  # short NIK
        "madiun,JHT,Ngawi,3521095203900009,29000000004,phk,online,2021-13-01,2021-03-05,1000,X\n"  # bad date
        "madiun,JHT,Ngawi,3521095203900010,29000000005,death_by_boredom,online,2021-03-01,2021-03-05,1.000,X\n"
    )
    rows, errors = parse_history(text)
    described = [(e.line, e.column) for e in errors]
    assert described == [(4, "nik"), (5, "submitted_date"), (6, "reason"), (6, "amount")]
    assert "baris 4, kolom nik" in str(errors[0])
    before = Claim.objects.count()
    # The interface refuses to import while parse errors exist; validation errors block the write too.
    bad_branch = parse_history(
        HEADER + "kediri,JHT,Kediri,3521095203900007,29000000001,phk,online,2021-03-01,2021-03-05,1,Tri\n"
    )[0]
    result = import_history(rows + bad_branch)
    assert [(e.line, e.column) for e in result.errors] == [(2, "branch")]
    assert result.imported == 0 and Claim.objects.count() == before
    assert not Participant.objects.filter(nik="3521095203900007").exists()


def test_a_kpj_that_belongs_to_someone_else_is_refused(db, participant):
    text = (
        HEADER
        + f"madiun,JHT,Ngawi,3521095203900007,{participant.participant.kpj},phk,online,2021-03-01,2021-03-05,1,Tri\n"
    )
    result = import_history(parse_history(text)[0])
    assert result.errors[0].column == "kpj"


def test_a_new_person_without_a_name_is_refused(db):
    text = (
        HEADER.replace(",full_name", "")
        + "madiun,JHT,Ngawi,3521095203900007,29000000001,phk,online,2021-03-01,2021-03-05,1\n"
    )
    result = import_history(parse_history(text)[0])
    assert result.errors[0].column == "full_name"


def test_a_file_without_the_required_columns_is_refused():
    with pytest.raises(HistoryFileError, match="paid_date"):
        parse_history("branch,program\nmadiun,JHT\n")
