def pounds(pence: int | None) -> str:
    """An amount in pence as people read it: £1,250.00, -£35.00."""
    pence = pence or 0
    sign = "-" if pence < 0 else ""
    return f"{sign}£{abs(pence) / 100:,.2f}"
