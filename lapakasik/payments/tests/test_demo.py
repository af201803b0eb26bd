from lapakasik.payments.demo import load_payments_demo
from lapakasik.payments.queries import ready_by_bank


def test_the_demo_has_claims_waiting_for_finance_and_loading_it_again_adds_nothing(demo_ready, madiun):
    assert {row["bank"]: row["count"] for row in ready_by_bank(madiun)} == {"BNI": 1, "BRI": 2}
    assert load_payments_demo() == 0
