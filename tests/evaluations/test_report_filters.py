"""How the report pages write their figures."""

from evaluations.templatetags.evaluation_report import effect, num, p_value, pct, signed


def test_figures_are_written_plainly_and_missing_ones_as_a_dash():
    assert pct(62.5) == "62%" and pct(100) == "100%"
    assert num(3.5) == "3.5" and num(3.0) == "3" and num(10) == "10"
    assert signed(0.75) == "+0.75" and signed(-0.25) == "−0.25"
    assert p_value(0.0004) == "< 0.001" and p_value(0.0312) == "0.031"
    assert (effect(0.62), effect(-0.35), effect(0.12), effect(0.02)) == ("large", "medium", "small", "negligible")
    assert {pct(None), pct(""), num(None), signed(""), p_value(None)} == {"–"}
