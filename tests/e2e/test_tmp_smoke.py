from tests.e2e.conftest import visit, scan
from tests.factories import SessionFactory

def test_smoke(page):
    SessionFactory()
    for url in ["/", "/calendar/month/", "/accounts/signup/", "/accounts/login/", "/?month=2026-13"]:
        v = visit(page, url)
        print(url, [(x["id"], x["impact"]) for x in scan(page)])

def test_bad(page):
    visit(page, "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x.png><button></button>')")
    scan(page)

def test_unscanned(page):
    visit(page, "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("heading", name="Sign In").wait_for()
