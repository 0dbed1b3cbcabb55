import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import Agency, AgencyRequest, JobRole, Sector, User
from accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase"


def signup_data(agency, **overrides):
    return {
        "email": "nadia.khan@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Nadia",
        "last_name": "Khan",
        "job_role": JobRole.NURSE,
        "agency_choice": str(agency.pk),
        "line_manager_name": "Lee Lead",
        "line_manager_email": "lee.lead@example.org",
        **overrides,
    }


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """POST the sign-up form, running what waits for the commit (the e-mails)."""

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("account_signup"), data)

    return post


# Sign-up


def test_sign_up_creates_the_person_with_their_details(sign_up):
    agency = AgencyFactory()

    response = sign_up(signup_data(agency))

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="nadia.khan@example.org")
    assert (user.first_name, user.last_name, user.job_role, user.agency) == ("Nadia", "Khan", JobRole.NURSE, agency)
    assert (user.line_manager_name, user.line_manager_email) == ("Lee Lead", "lee.lead@example.org")
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [Role.DELEGATE]


def test_sign_up_records_an_unverified_address_and_sends_a_verification_email(sign_up):
    sign_up(signup_data(AgencyFactory()))

    address = EmailAddress.objects.get(email="nadia.khan@example.org")
    assert (address.verified, address.primary) == (False, True)
    assert [message.to for message in mail.outbox] == [["nadia.khan@example.org"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_sign_up_with_an_unlisted_organisation_records_a_request(sign_up):
    health = Sector.objects.get(slug="health")

    sign_up(
        signup_data(
            AgencyFactory(),
            agency_choice="not_listed",
            new_agency_name="Riverside Physiotherapy",
            new_agency_sector=str(health.pk),
        )
    )

    user = User.objects.get(email="nadia.khan@example.org")
    assert user.agency is None
    assert list(user.agency_requests.values_list("name", "sector", "status")) == [
        ("Riverside Physiotherapy", health.pk, AgencyRequest.Status.PENDING)
    ]


def test_sign_up_with_an_address_already_registered_says_so_and_saves_nothing(sign_up):
    UserFactory(email="nadia.khan@example.org", first_name="Original")

    response = sign_up(signup_data(AgencyFactory(), email="Nadia.Khan@example.org", first_name="Impostor"))

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "already registered with this email address" in response.content.decode()
    assert User.objects.filter(email__iexact="nadia.khan@example.org").count() == 1
    assert User.objects.get(email="nadia.khan@example.org").first_name == "Original"
    assert EmailAddress.objects.filter(email__iexact="nadia.khan@example.org").count() == 1
    assert mail.outbox == []


def test_sign_up_with_an_agency_not_in_the_list_is_refused(sign_up):
    response = sign_up(signup_data(AgencyFactory(), agency_choice="999999"))

    assert response.status_code == 200
    assert response.context["form"].errors["agency_choice"] == [
        "Select your organisation from the list, or choose “My organisation is not listed”"
    ]
    assert "There is a problem" in response.content.decode()
    assert not User.objects.filter(email="nadia.khan@example.org").exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []


def test_sign_up_with_a_hidden_agency_is_refused(sign_up):
    hidden = AgencyFactory(is_active=False)

    response = sign_up(signup_data(hidden))

    assert "agency_choice" in response.context["form"].errors
    assert not User.objects.filter(email="nadia.khan@example.org").exists()


def test_sign_up_unlisted_organisation_needs_its_name_and_sector(sign_up):
    response = sign_up(signup_data(AgencyFactory(), agency_choice="not_listed"))

    errors = response.context["form"].errors
    assert errors["new_agency_name"] == ["Enter the name of your organisation"]
    assert errors["new_agency_sector"] == ["Select your organisation's sector"]
    assert not User.objects.exists()
    assert not AgencyRequest.objects.exists()


def test_sign_up_with_nothing_filled_in_asks_for_every_required_field(sign_up):
    response = sign_up({})

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["first_name"] == ["Enter your first name"]
    assert errors["last_name"] == ["Enter your last name"]
    assert errors["job_role"] == ["Select your job role"]
    assert errors["agency_choice"] == ["Select your organisation"]
    assert errors["line_manager_name"] == ["Enter your line manager's name"]
    assert errors["line_manager_email"] == ["Enter your line manager's email address"]
    assert {"email", "password1"} <= set(errors)
    assert not User.objects.exists()


def test_sign_up_with_a_password_under_12_characters_is_refused(sign_up):
    response = sign_up(signup_data(AgencyFactory(), password1="Short-pw-11", password2="Short-pw-11"))

    assert "at least 12 characters" in " ".join(response.context["form"].errors["password1"])
    assert not User.objects.exists()


# The profile page


def test_profile_needs_signing_in(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('accounts:profile')}"


def test_profile_shows_the_signed_in_persons_details_and_roles(client):
    me = UserFactory(email="me@example.org", line_manager_name="Morgan Mine", role=Role.DELEGATE)
    client.force_login(me)

    response = client.get(reverse("accounts:profile"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "me@example.org" in page
    assert 'value="Morgan Mine"' in page
    assert Role.DELEGATE.value in page


def test_profile_post_saves_the_new_details(client):
    me = UserFactory()
    new_agency = AgencyFactory()
    client.force_login(me)

    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Samira",
            "last_name": "Okoro",
            "job_role": JobRole.TEACHER,
            "agency_choice": str(new_agency.pk),
            "line_manager_name": "New Manager",
            "line_manager_email": "new.manager@example.org",
        },
        follow=True,
    )

    agency_before = me.agency
    me.refresh_from_db()
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert "Your details have been saved." in response.content.decode()
    assert (me.first_name, me.last_name, me.job_role) == ("Samira", "Okoro", JobRole.TEACHER)
    assert (me.line_manager_name, me.line_manager_email) == ("New Manager", "new.manager@example.org")
    # The new agency is only asked for: it takes effect when staff approve it.
    assert me.agency == agency_before
    assert AgencyRequest.objects.get(user=me).requested_agency == new_agency


def test_profile_post_with_errors_changes_nothing(client):
    me = UserFactory(first_name="Sam")
    client.force_login(me)

    response = client.post(reverse("accounts:profile"), {"first_name": "", "line_manager_email": "nope"})

    me.refresh_from_db()
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert response.context["form"].errors["line_manager_email"] == [
        "Enter an email address in the correct format, like name@example.org"
    ]
    assert me.first_name == "Sam"


def test_profile_post_with_nothing_filled_in_reports_the_missing_answers(client):
    me = UserFactory(first_name="Sam")
    client.force_login(me)

    response = client.post(reverse("accounts:profile"), {})

    me.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == ["Enter your first name"]
    assert "There is a problem" in response.content.decode()
    assert me.first_name == "Sam"


def test_profile_shows_a_pending_organisation_request(client):
    me = UserFactory()
    client.force_login(me)

    client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Sam",
            "last_name": "Person",
            "job_role": JobRole.TEACHER,
            "agency_choice": "not_listed",
            "new_agency_name": "Riverside Tutors",
            "new_agency_sector": str(Sector.objects.get(slug="education").pk),
            "line_manager_name": "M",
            "line_manager_email": "m@example.org",
        },
    )
    response = client.get(reverse("accounts:profile"))

    assert "You asked us to add “Riverside Tutors”" in response.content.decode()


def _profile_data(agency_choice, **overrides):
    return {
        "first_name": "Sam",
        "last_name": "Person",
        "job_role": JobRole.TEACHER,
        "agency_choice": agency_choice,
        "line_manager_name": "M",
        "line_manager_email": "m@example.org",
        **overrides,
    }


def test_profile_shows_the_current_agency_and_the_change_waiting_for_a_decision(client):
    me = UserFactory(agency=AgencyFactory(name="Little Acorns Nursery"))
    wanted = AgencyFactory(name="Borough Council")
    client.force_login(me)

    saved = client.post(reverse("accounts:profile"), _profile_data(str(wanted.pk)), follow=True)
    response = client.get(reverse("accounts:profile"))

    page = response.content.decode()
    assert "Your organisation changes only when the training team approves your request." in saved.content.decode()
    assert "Little Acorns Nursery" in page
    assert "Waiting for a decision" in page
    assert "You asked to change your organisation to “Borough Council”" in page
    # The form shows what was asked for, so saving other details again keeps the request.
    assert response.context["form"]["agency_choice"].value() == str(wanted.pk)


def test_profile_saving_other_details_keeps_a_pending_request_as_it_was(client):
    me = UserFactory()
    wanted = AgencyFactory()
    client.force_login(me)
    client.post(reverse("accounts:profile"), _profile_data(str(wanted.pk)))
    first = AgencyRequest.objects.get(user=me)

    client.post(reverse("accounts:profile"), _profile_data(str(wanted.pk), first_name="Samuel"))

    me.refresh_from_db()
    assert me.first_name == "Samuel"
    assert list(AgencyRequest.objects.filter(user=me).values_list("pk", "status")) == [
        (first.pk, AgencyRequest.Status.PENDING)
    ]


def test_profile_of_someone_in_an_agency_no_longer_listed_can_still_be_saved(client):
    me = UserFactory(agency=AgencyFactory(name="Closed Nursery", is_active=False))
    client.force_login(me)

    response = client.post(reverse("accounts:profile"), _profile_data(str(me.agency_id), first_name="Samuel"))

    me.refresh_from_db()
    assert response.status_code == 302
    assert (me.first_name, me.agency.name) == ("Samuel", "Closed Nursery")
    assert not AgencyRequest.objects.exists()


def test_profile_does_not_offer_another_agency_no_longer_listed(client):
    hidden = AgencyFactory(is_active=False)
    me = UserFactory()
    client.force_login(me)

    response = client.post(reverse("accounts:profile"), _profile_data(str(hidden.pk)))

    assert "agency_choice" in response.context["form"].errors
    assert not AgencyRequest.objects.exists()


# Staff deciding organisation requests


def _pending_request(client, name="Riverside Physiotherapy"):
    """A new user asks for an unlisted organisation through the profile page."""
    requester = UserFactory()
    client.force_login(requester)
    client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Sam",
            "last_name": "Person",
            "job_role": JobRole.NURSE,
            "agency_choice": "not_listed",
            "new_agency_name": name,
            "new_agency_sector": str(Sector.objects.get(slug="health").pk),
            "line_manager_name": "M",
            "line_manager_email": "m@example.org",
        },
    )
    client.logout()
    return AgencyRequest.objects.get(user=requester)


def _decide(client, agency_request, **data):
    return client.post(reverse("accounts:agency_request_decide", args=[agency_request.pk]), data, follow=True)


def test_staff_approve_a_request_as_a_new_agency(client, administrator):
    agency_request = _pending_request(client)
    client.force_login(administrator)

    response = _decide(client, agency_request, decision="create", contributes="on")

    agency = Agency.objects.get(name="Riverside Physiotherapy")
    agency_request.refresh_from_db()
    assert response.redirect_chain == [(reverse("accounts:agency_request_list"), 302)]
    assert "is now listed under Riverside Physiotherapy" in response.content.decode()
    assert agency.contributes is True
    assert agency_request.status == AgencyRequest.Status.APPROVED
    assert User.objects.get(pk=agency_request.user_id).agency == agency


def test_staff_approve_a_request_as_an_agency_already_listed(client, administrator):
    listed = AgencyFactory(name="Riverside Community Physiotherapy")
    agency_request = _pending_request(client, name="Riverside Physio")
    client.force_login(administrator)

    _decide(client, agency_request, decision="match", existing_agency=str(listed.pk))

    assert not Agency.objects.filter(name="Riverside Physio").exists()
    assert User.objects.get(pk=agency_request.user_id).agency == listed


def test_staff_match_without_choosing_the_agency_is_an_error(client, administrator):
    agency_request = _pending_request(client)
    client.force_login(administrator)

    response = _decide(client, agency_request, decision="match")

    agency_request.refresh_from_db()
    assert response.context["form"].errors["existing_agency"] == ["Select the agency it is the same as"]
    assert agency_request.status == AgencyRequest.Status.PENDING


def test_staff_approve_as_new_with_a_name_already_listed_shows_the_error(client, administrator):
    AgencyFactory(name="riverside physiotherapy")
    agency_request = _pending_request(client, name="Riverside Physiotherapy")
    client.force_login(administrator)

    response = _decide(client, agency_request, decision="create")

    agency_request.refresh_from_db()
    assert response.status_code == 200
    assert "is already listed" in response.content.decode()
    assert agency_request.status == AgencyRequest.Status.PENDING
    assert Agency.objects.filter(name__iexact="riverside physiotherapy").count() == 1


def test_staff_decline_a_request(client, administrator):
    agency_request = _pending_request(client)
    user_agency = User.objects.get(pk=agency_request.user_id).agency
    client.force_login(administrator)

    response = _decide(client, agency_request, decision="decline")

    agency_request.refresh_from_db()
    assert "The request was declined." in response.content.decode()
    assert agency_request.status == AgencyRequest.Status.DECLINED
    assert User.objects.get(pk=agency_request.user_id).agency == user_agency
    assert not Agency.objects.filter(name="Riverside Physiotherapy").exists()


def test_a_decided_request_offers_no_form(client, administrator):
    agency_request = _pending_request(client)
    client.force_login(administrator)
    _decide(client, agency_request, decision="decline")

    response = client.get(reverse("accounts:agency_request_decide", args=[agency_request.pk]))

    assert response.status_code == 200
    assert "Save decision" not in response.content.decode()


def test_deciding_an_already_decided_request_again_is_refused(client, administrator):
    agency_request = _pending_request(client)
    client.force_login(administrator)
    _decide(client, agency_request, decision="decline")

    response = _decide(client, agency_request, decision="create")

    agency_request.refresh_from_db()
    assert "This request has already been decided." in response.content.decode()
    assert agency_request.status == AgencyRequest.Status.DECLINED
    assert not Agency.objects.filter(name="Riverside Physiotherapy").exists()


def test_a_delegate_cannot_decide_a_request(client, delegate):
    agency_request = _pending_request(client)
    client.force_login(delegate)

    response = _decide(client, agency_request, decision="create")

    agency_request.refresh_from_db()
    assert response.status_code == 403
    assert agency_request.status == AgencyRequest.Status.PENDING


def test_others_cannot_tell_which_requests_exist(client, delegate):
    existing = _pending_request(client)
    client.force_login(delegate)

    for pk in (existing.pk, 999999):
        assert client.get(reverse("accounts:agency_request_decide", args=[pk])).status_code == 403


def test_deciding_an_unknown_request_is_404(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("accounts:agency_request_decide", args=[999999]))

    assert response.status_code == 404


def _pending_move(client, to):
    """A person in a listed agency asks on their profile to move to another listed one."""
    requester = UserFactory(agency=AgencyFactory(name="Little Acorns Nursery"))
    client.force_login(requester)
    client.post(reverse("accounts:profile"), _profile_data(str(to.pk)))
    client.logout()
    return AgencyRequest.objects.get(user=requester)


def test_staff_list_says_which_kind_each_request_is(client, administrator):
    _pending_request(client, name="Riverside Physiotherapy")
    _pending_move(client, AgencyFactory(name="Borough Council"))
    client.force_login(administrator)

    page = client.get(reverse("accounts:agency_request_list")).content.decode()

    assert "Organisation not listed" in page
    assert "Change to an agency already listed" in page


def test_staff_decision_page_for_a_move_offers_approve_or_decline_only(client, administrator):
    agency_request = _pending_move(client, AgencyFactory(name="Borough Council", contributes=True))
    client.force_login(administrator)

    response = client.get(reverse("accounts:agency_request_decide", args=[agency_request.pk]))

    page = response.content.decode()
    assert "Change to an agency already listed" in page
    assert "Little Acorns Nursery" in page  # where they are now
    assert "Yes: its staff book free" in page
    assert [value for value, _label in response.context["form"].fields["decision"].choices] == ["approve", "decline"]
    assert "existing_agency" not in page


def test_staff_approve_a_move_to_a_listed_agency(client, administrator):
    wanted = AgencyFactory(name="Borough Council")
    agency_request = _pending_move(client, wanted)
    client.force_login(administrator)

    response = _decide(client, agency_request, decision="approve")

    agency_request.refresh_from_db()
    assert "is now listed under Borough Council" in response.content.decode()
    assert agency_request.status == AgencyRequest.Status.APPROVED
    assert User.objects.get(pk=agency_request.user_id).agency == wanted


def test_staff_cannot_turn_a_move_into_a_new_agency(client, administrator):
    agency_request = _pending_move(client, AgencyFactory(name="Borough Council"))
    agencies_before = Agency.objects.count()
    client.force_login(administrator)

    response = _decide(client, agency_request, decision="create", contributes="on")

    agency_request.refresh_from_db()
    assert "decision" in response.context["form"].errors
    assert agency_request.status == AgencyRequest.Status.PENDING
    assert Agency.objects.count() == agencies_before


def test_staff_decline_a_move(client, administrator):
    agency_request = _pending_move(client, AgencyFactory(name="Borough Council"))
    client.force_login(administrator)

    _decide(client, agency_request, decision="decline")

    agency_request.refresh_from_db()
    assert agency_request.status == AgencyRequest.Status.DECLINED
    assert User.objects.get(pk=agency_request.user_id).agency.name == "Little Acorns Nursery"
