"""Importing a provider's completions: every row checked before anything is
written, all or nothing, and a second import of the same rows adds nothing."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import Agency, JobRole, Sector, User
from accounts.roles import Role
from elearning import services
from elearning.exceptions import ImportRejected
from elearning.models import Completion, CompletionImport, Module
from tests.factories import AgencyFactory, UserFactory

from .factories import ModuleFactory

pytestmark = pytest.mark.django_db

HEADER = "email,name,agency,sector,role,module,completed_at"


def csv_bytes(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def import_file(data: bytes):
    record, _plan = services.completion_import_check(filename="provider.csv", data=data)
    return services.completion_import_apply(completion_import=record)


def _nothing_written():
    return not (Completion.objects.exists() or CompletionImport.objects.exists() or Module.objects.exists()
                or User.objects.filter(email__endswith="@provider.example").exists()
                or Agency.objects.filter(name__startswith="New ").exists())


# --- what a good file does ------------------------------------------------------------


def test_a_file_adds_delegates_agencies_modules_and_completions():
    nursery = AgencyFactory(name="Little Acorns Nursery")
    record = import_file(csv_bytes(
        "ann@provider.example,Ann Smith,LITTLE ACORNS NURSERY,early_years,Early years practitioner or childminder,"
        "Safeguarding Children Level 2,2025-05-01",
        "bob@provider.example,\"Jones, Bob\",New Health Clinic,health,Health visitor,Safeguarding Children Level 2,"
        "2025-05-02T16:30:00",
    ))

    assert (record.completions_created, record.delegates_created, record.agencies_created,
            record.modules_created) == (2, 2, 1, 1)
    ann = User.objects.get(email="ann@provider.example")
    assert (ann.first_name, ann.last_name, ann.agency, ann.job_role) == ("Ann", "Smith", nursery,
                                                                          JobRole.EARLY_YEARS)
    bob = User.objects.get(email="bob@provider.example")
    assert (bob.first_name, bob.last_name) == ("Bob", "Jones")
    clinic = Agency.objects.get(name="New Health Clinic")
    assert clinic.sector.slug == "health"
    module = Module.objects.get(title="Safeguarding Children Level 2")
    assert (module.delivery, module.is_published) == ("external", False)
    bobs = Completion.objects.get(user=bob)
    assert (bobs.agency, bobs.job_role, bobs.job_role_text, bobs.source) == (clinic, "", "Health visitor",
                                                                             "imported")
    assert record.content == ""


def test_new_delegates_cannot_sign_in_until_they_set_a_password():
    import_file(csv_bytes("new@provider.example,New Person,,,,Module A,2025-05-01"))

    user = User.objects.get(email="new@provider.example")
    assert not user.has_usable_password()
    assert not user.emailaddress_set.exists()  # not verified
    assert user.groups.filter(name=Role.DELEGATE).exists()


def test_existing_delegates_are_matched_by_email_and_their_details_are_not_changed():
    user = UserFactory(email="known@example.org", first_name="Kim", job_role=JobRole.TEACHER)
    agency = user.agency

    import_file(csv_bytes("KNOWN@example.org,Somebody Else,,,,Module A,2025-05-01"))

    user.refresh_from_db()
    assert (user.first_name, user.job_role, user.agency) == ("Kim", JobRole.TEACHER, agency)
    completion = Completion.objects.get(user=user)
    # Blank role and agency in the file: the delegate's own are recorded.
    assert (completion.job_role, completion.agency) == (JobRole.TEACHER, agency)


@pytest.mark.parametrize(
    ("text", "role", "kept"),
    [
        ("Social worker", JobRole.SOCIAL_WORKER, ""),
        ("social_worker", JobRole.SOCIAL_WORKER, ""),
        ("  SOCIAL   WORKER ", JobRole.SOCIAL_WORKER, ""),
        ("Designated safeguarding lead", JobRole.DSL, ""),
        ("Dinner lady", "", "Dinner lady"),
    ],
)
def test_roles_match_our_job_roles_by_label_or_value_else_the_text_is_kept(text, role, kept):
    import_file(csv_bytes(f"a@provider.example,A Person,,,{text},Module A,2025-05-01"))

    completion = Completion.objects.get()
    assert (completion.job_role, completion.job_role_text) == (role, kept)


def test_modules_are_matched_by_title_ignoring_case():
    module = ModuleFactory(title="Safeguarding Children Level 1")

    import_file(csv_bytes("a@provider.example,A Person,,,,safeguarding children LEVEL 1,2025-05-01"))

    assert Completion.objects.get().module == module
    assert Module.objects.count() == 1


# --- the same rows twice ------------------------------------------------------------------


def test_importing_the_same_file_again_adds_nothing():
    data = csv_bytes(
        "a@provider.example,A Person,New Agency One,police,,Module A,2025-05-01",
        "b@provider.example,B Person,New Agency One,police,,Module A,2025-05-01T09:00",
    )
    first = import_file(data)

    second = import_file(data)

    assert (first.completions_created, second.completions_created, second.completions_existing) == (2, 0, 2)
    assert (second.delegates_created, second.agencies_created, second.modules_created) == (0, 0, 0)
    assert Completion.objects.count() == 2


def test_repeated_rows_in_a_file_are_one_completion():
    row = "a@provider.example,A Person,,,,Module A,2025-05-01"
    same_day_later = "A@PROVIDER.EXAMPLE,A Person,,,,MODULE A,2025-05-01T17:45:00+01:00"
    record, plan = services.completion_import_check(filename="f.csv", data=csv_bytes(row, row, same_day_later))

    assert plan.summary()["duplicate_rows"] == 2
    assert services.completion_import_apply(completion_import=record).completions_created == 1


def test_the_database_refuses_a_second_completion_for_the_same_delegate_module_and_day():
    from django.db import IntegrityError

    completion = Completion.objects.create(user=UserFactory(), module=ModuleFactory(), completed_on="2025-05-01",
                                           source="imported")

    with pytest.raises(IntegrityError):
        Completion.objects.create(user=completion.user, module=completion.module, completed_on="2025-05-01",
                                  source="hosted")


def test_a_datetime_is_counted_on_its_london_day():
    import_file(csv_bytes("a@provider.example,A Person,,,,Module A,2025-06-30T23:30:00Z"))

    assert str(Completion.objects.get().completed_on) == "2025-07-01"  # 00:30 BST


def test_applying_a_checked_file_twice_imports_it_once():
    record, _plan = services.completion_import_check(
        filename="f.csv", data=csv_bytes("a@provider.example,A Person,,,,Module A,2025-05-01"))
    services.completion_import_apply(completion_import=record)

    again = services.completion_import_apply(completion_import=record)

    assert again.status == "applied" and Completion.objects.count() == 1


# --- bad files: clear errors, nothing imported ---------------------------------------------


def test_every_bad_row_is_listed_and_nothing_is_imported():
    data = csv_bytes(
        "good@provider.example,Good Row,,,,Module A,2025-05-01",
        ",No Email,,,,Module A,2025-05-01",
        "bad-date@provider.example,Bad Date,,,,Module A,01/05/2025",
        "bad-sector@provider.example,Bad Sector,New Agency Two,hospitals,,Module A,2025-05-01",
        "no-sector@provider.example,No Sector,New Agency Three,,,Module A,2025-05-01",
        "future@provider.example,Future,,,,Module A,2999-01-01",
        "not-an-email,Not Email,,,,,2025-05-01",
        "noname@provider.example,,,,,Module A,2025-05-01",
        "short@provider.example,Short Row",
    )

    with pytest.raises(ImportRejected) as rejected:
        services.completion_import_check(filename="bad.csv", data=data)

    problems = dict(rejected.value.problems)
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert problems[3] == ["the e-mail address is missing"]
    assert "“01/05/2025” is not a date" in problems[4][0]
    assert "“hospitals” is not one of our sectors" in problems[5][0]
    assert "give its sector" in problems[6][0]
    assert "in the future" in problems[7][0]
    assert any("not an e-mail address" in p for p in problems[8]) and "the module is missing" in problems[8]
    assert "the name is missing" in problems[9][0]
    assert "it has 2 cells" in problems[10][0]
    assert "8 rows have problems" in rejected.value.message
    assert _nothing_written()


def test_a_new_agency_given_two_sectors_is_a_problem():
    data = csv_bytes(
        "a@provider.example,A Person,New Agency Four,police,,Module A,2025-05-01",
        "b@provider.example,B Person,new agency four,health,,Module A,2025-05-01",
    )

    with pytest.raises(ImportRejected) as rejected:
        services.completion_import_check(filename="f.csv", data=data)

    assert [line for line, _ in rejected.value.problems] == [3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (csv_bytes("a@provider.example,A,,,,M,2025-05-01", header="email,name,organisation,role,module,date"),
         "wrong columns (missing: agency, sector, completed_at; not expected: organisation, date)"),
        (csv_bytes(header=HEADER), "no completions in it"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a CSV file"),
        (HEADER.encode() + b"\na@provider.example,Ren\xe9e,,,,M,2025-05-01\n", "not UTF-8 text (line 2)"),
    ],
)
def test_a_file_that_is_not_a_completions_csv_is_refused_with_a_clear_message(data, message):
    with pytest.raises(ImportRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.completion_import_check(filename="f.csv", data=data)

    assert _nothing_written()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.ELEARNING_IMPORT_MAX_BYTES = 1024

    with pytest.raises(ImportRejected, match="The file is 2.0\xa0KB. The largest file that can be imported is 1.0"):
        services.completion_import_check(filename="big.csv", data=b"x" * 2048)


def test_a_utf8_file_with_a_byte_order_mark_and_windows_line_ends_is_read():
    data = ("\ufeff" + HEADER + "\r\nzoe@provider.example,Zoë Ørsted,,,,Module A,2025-05-01\r\n").encode()

    import_file(data)

    assert User.objects.get(email="zoe@provider.example").first_name == "Zoë"


def test_a_file_the_database_has_overtaken_is_checked_again_when_applied():
    record, _plan = services.completion_import_check(
        filename="f.csv", data=csv_bytes("a@provider.example,A Person,New Agency Five,education,,Module A,2025-05-01"))
    Sector.objects.filter(slug="education").update(slug="schools")

    with pytest.raises(ImportRejected):
        services.completion_import_apply(completion_import=record)

    assert not Completion.objects.exists() and not Agency.objects.filter(name="New Agency Five").exists()


def test_a_failure_part_way_through_leaves_nothing_behind(monkeypatch):
    record, _plan = services.completion_import_check(
        filename="f.csv", data=csv_bytes("a@provider.example,A Person,New Agency Six,police,,Module A,2025-05-01"))
    written_before_failure = []

    def fail_part_way(**kwargs):
        # Record what the import had already written when it failed, so this
        # test cannot pass just because the failure came before any write.
        written_before_failure.append((
            Agency.objects.filter(name="New Agency Six").exists(),
            Module.objects.exists(),
            User.objects.filter(email="a@provider.example").exists(),
        ))
        raise RuntimeError("disk full")

    monkeypatch.setattr(Group.objects, "get", fail_part_way)

    with pytest.raises(RuntimeError, match="disk full"):
        services.completion_import_apply(completion_import=record)

    assert written_before_failure == [(True, True, True)]
    assert not Agency.objects.filter(name="New Agency Six").exists()
    assert not User.objects.filter(email="a@provider.example").exists()
    assert not Module.objects.exists() and not Completion.objects.exists()
    record.refresh_from_db()
    assert record.status == "pending"


def test_a_formula_in_a_cell_is_kept_as_text():
    import_file(csv_bytes("a@provider.example,=cmd|' /C calc'!A0,,,,Module A,2025-05-01"))

    assert User.objects.get(email="a@provider.example").first_name == "=cmd|' /C"


# --- the command -------------------------------------------------------------------------


def test_the_command_imports_a_file(tmp_path):
    path = tmp_path / "provider.csv"
    path.write_bytes(csv_bytes("a@provider.example,A Person,,,,Module A,2025-05-01"))
    out = io.StringIO()

    call_command("import_elearning", str(path), stdout=out)

    assert "Imported 1 completions" in out.getvalue()
    assert Completion.objects.count() == 1


def test_the_command_runs_as_people_run_it(tmp_path):
    """`python manage.py import_elearning FILE.csv` in a process of its own (with
    Django's system checks), on a database of its own, migrated first."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    path = tmp_path / "provider.csv"
    path.write_bytes(csv_bytes("a@provider.example,A Person,,,,Module A,2025-05-01"))

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                              capture_output=True, text=True, timeout=300)

    assert manage("migrate", "-v0").returncode == 0
    done = manage("import_elearning", str(path))

    assert done.returncode == 0, done.stderr
    assert "Imported 1 completions" in done.stdout


def test_the_command_lists_every_bad_row_and_imports_nothing(tmp_path):
    path = tmp_path / "provider.csv"
    path.write_bytes(csv_bytes("a@provider.example,A Person,,,,Module A,2025-05-01",
                               ",B,,,,Module A,2025-05-01", "c@provider.example,C,,,,Module A,yesterday"))
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 rows have problems"):
        call_command("import_elearning", str(path), stderr=err)

    assert "line 3: the e-mail address is missing" in err.getvalue()
    assert "line 4: “yesterday” is not a date" in err.getvalue()
    assert _nothing_written()


def test_the_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "provider.csv"
    path.write_bytes(csv_bytes("a@provider.example,A Person,New Agency Seven,police,Volunteer,Module A,2025-05-01"))
    out = io.StringIO()

    call_command("import_elearning", str(path), "--dry-run", stdout=out)

    assert "1 completions to add" in out.getvalue() and "new agency: New Agency Seven (police)" in out.getvalue()
    assert _nothing_written()


def test_a_new_module_takes_the_level_its_title_names():
    import_file(csv_bytes("a@provider.example,A Person,,,,Safeguarding Children Level 2,2025-05-01",
                          "a@provider.example,A Person,,,,Prevent awareness,2025-05-01"))

    assert dict(Module.objects.values_list("title", "level")) == {
        "Safeguarding Children Level 2": "level_2", "Prevent awareness": ""}


def test_agencies_with_accents_are_matched_ignoring_case():
    agency = AgencyFactory(name="ÉCOLE SAINT-ÉTIENNE")

    import_file(csv_bytes("a@provider.example,A Person,école saint-étienne,,,Module A,2025-05-01"))

    assert Completion.objects.get().agency == agency
