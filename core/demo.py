"""The demo partnership: agencies, venues, trainers and a year's programme
built from the course list real partnerships publish (see shared DOMAIN.md)."""

from accounts.roles import Role

DEMO_PASSWORD = "demo-password-2026"
# The demo staff must use two-factor sign-in (MFA_REQUIRED_ROLES), so with DEBUG
# on seed_demo gives them an authenticator app with this setup key, which it
# prints for `make run` users to add to theirs. Never seeded with DEBUG off.
DEMO_TOTP_SECRET = "RIVERSIDEDEMOTOTPSECRETKEY234567"

PRIORITIES = [
    ("neglect", "Neglect"),
    ("self-harm-suicide", "Self-harm and suicide prevention"),
    ("missing-exploited-trafficked", "Missing, exploited and trafficked"),
    ("domestic-abuse", "Domestic abuse"),
    ("early-help", "Early help"),
]

# (name, sector slug, contributes)
AGENCIES = [
    ("Riverside Council Children's Services", "children_social_care", True),
    ("Riverside Police (Central Basic Command Unit)", "police", True),
    ("Riverside Integrated Care Board", "health", True),
    ("Riverside Hospitals NHS Trust", "health", True),
    ("Riverside Community Health NHS Trust", "health", True),
    ("Probation Service (Riverside)", "probation_youth_justice", True),
    ("Riverside Youth Justice Service", "probation_youth_justice", True),
    ("Cafcass", "children_social_care", True),
    ("Riverside Fire and Rescue", "other", True),
    ("Riverside Council Housing", "housing", True),
    ("Riverside Council Adult Social Care", "adult_social_care", True),
    ("Northgate Primary School", "education", True),
    ("Riverside Academy", "education", True),
    ("St Anne's Independent School", "education", False),
    ("Little Acorns Day Nursery", "early_years", False),
    ("Sunshine Nurseries Ltd", "early_years", False),
    ("Riverside Childminders Network", "early_years", False),
    ("Bright Beginnings Pre-school", "early_years", False),
    ("Riverside Youth Club", "voluntary_community", False),
    ("Women's Aid Riverside", "voluntary_community", False),
    ("Riverside Foodbank", "voluntary_community", False),
    ("St Mary's Church", "faith", False),
    ("Riverside Mosque", "faith", False),
    ("Riverside Homes Housing Association", "housing", False),
]

# (name, address, postcode, step-free, notes)
VENUES = [
    (
        "Riverside Civic Centre, Training Room 1",
        "1 Civic Way\nRiverside",
        "RV1 1AA",
        True,
        "Lift to all floors. Hearing loop in Training Room 1. Accessible toilet on the same floor.",
    ),
    (
        "Riverside Police Station, Conference Room",
        "20 Station Road\nRiverside",
        "RV2 3BB",
        True,
        "Photo ID needed at reception. Step-free entrance at the side of the building.",
    ),
    (
        "Northgate Family Hub",
        "5 Northgate Lane\nRiverside",
        "RV3 4CC",
        False,
        "The training room is on the first floor with no lift. Ask us about a ground-floor room.",
    ),
    (
        "Riverside Hospital Education Centre",
        "Hospital Drive\nRiverside",
        "RV4 5DD",
        True,
        "Pay-and-display parking. Blue badge bays by the entrance.",
    ),
    ("Southbank Community Church Hall", "12 Southbank Road\nRiverside", "RV5 6EE", True, "Ramp at the front entrance."),
]

TRAINERS = [
    ("Amara Okafor", "Riverside Safeguarding Children Partnership", "trainer@example.org"),
    ("David Chen", "Riverside Police", "david.chen@example.org"),
    ("Helen Price", "Riverside Community Health NHS Trust", "helen.price@example.org"),
    ("Yusuf Patel", "Women's Aid Riverside", "yusuf.patel@example.org"),
    ("Grace Mensah", "Riverside Council Children's Services", "grace.mensah@example.org"),
]

B, H, F, T = "briefing", "half_day", "full_day", "twilight"

# (title, format, level, priorities, provider, topic, sessions a year)
COURSES = [
    (
        "Children Missing Education",
        B,
        "level_1",
        ["missing-exploited-trafficked"],
        "",
        "children missing education and the duty to refer them",
        1,
    ),
    ("Fabricated and Induced Illness Awareness", B, "level_2", [], "", "recognising fabricated or induced illness", 1),
    (
        "Introduction to Safeguarding Children and Young People",
        B,
        "level_1",
        ["neglect"],
        "",
        "the basics of safeguarding children and what to do if you are worried",
        3,
    ),
    (
        "Learning from Domestic Homicide Reviews",
        B,
        "level_2",
        ["domestic-abuse"],
        "",
        "what local and national domestic homicide reviews teach us",
        1,
    ),
    (
        "MARAC Awareness",
        B,
        "level_2",
        ["domestic-abuse"],
        "",
        "the multi-agency risk assessment conference and how to refer to it",
        1,
    ),
    (
        "Workshop to Raise Awareness of Prevent",
        B,
        "level_1",
        [],
        "Home Office Prevent team",
        "the Prevent duty and spotting radicalisation",
        2,
    ),
    (
        "Young Carers and Hidden Harm",
        B,
        "level_1",
        ["early-help"],
        "Riverside Carers Centre",
        "young carers and the hidden harm of caring",
        1,
    ),
    ("Private Fostering Awareness", B, "level_1", [], "", "private fostering arrangements and the duty to notify", 1),
    ("Safeguarding Disabled Children", B, "level_2", ["neglect"], "", "the extra risks disabled children face", 1),
    (
        "Online Safety for Practitioners",
        B,
        "level_1",
        ["missing-exploited-trafficked"],
        "",
        "keeping children safe online",
        1,
    ),
    (
        "Gangs, Exploitation and Effective Practice",
        H,
        "level_2",
        ["missing-exploited-trafficked"],
        "",
        "gangs, county lines and criminal exploitation",
        2,
    ),
    ("Safe Recruitment", H, "leaders", [], "", "safer recruitment of staff and volunteers", 2),
    ("Peer-on-Peer Abuse", H, "level_2", [], "", "abuse between children", 2),
    ("Prevent – Greater Depth", H, "level_3", [], "Home Office Prevent team", "the Prevent duty in greater depth", 1),
    ("Child Sexual Abuse in the Family", F, "level_3", [], "", "child sexual abuse within the family environment", 2),
    (
        "Child Trafficking, Modern Slavery and the NRM",
        F,
        "level_3",
        ["missing-exploited-trafficked"],
        "",
        "child trafficking, modern slavery and the National Referral Mechanism",
        1,
    ),
    (
        "Child Sexual Exploitation – Advanced",
        F,
        "level_3",
        ["missing-exploited-trafficked"],
        "",
        "child sexual exploitation",
        2,
    ),
    ("Cultural Competence", F, "level_2", [], "", "cultural competence in safeguarding practice", 1),
    (
        "Domestic Violence and Abuse Awareness",
        F,
        "level_2",
        ["domestic-abuse"],
        "Women's Aid Riverside",
        "domestic violence and abuse and its effect on children",
        3,
    ),
    (
        "Early Help Champions (train the trainer)",
        F,
        "level_3",
        ["early-help"],
        "",
        "early help assessment, so you can train colleagues",
        1,
    ),
    (
        "Neglect – An Analytical Approach",
        F,
        "level_3",
        ["neglect"],
        "",
        "recognising and assessing neglect with the graded care profile",
        3,
    ),
    (
        "Parental Substance Misuse",
        F,
        "level_2",
        ["neglect"],
        "",
        "the effect of parental drug and alcohol misuse on children",
        1,
    ),
    (
        "Safeguarding Children Level 3 – Designated Safeguarding Leads",
        F,
        "leaders",
        [],
        "",
        "the role of the designated safeguarding lead",
        4,
    ),
    (
        "Self-Harm and Suicide Ideation",
        F,
        "level_2",
        ["self-harm-suicide"],
        "",
        "self-harm and suicidal thoughts in children and young people",
        2,
    ),
    (
        "Working with Challenging and Hard to Help Families",
        F,
        "level_3",
        ["neglect", "early-help"],
        "",
        "engaging families who find help hard to accept",
        2,
    ),
    (
        "Working with Perpetrators of Domestic Violence",
        F,
        "level_3",
        ["domestic-abuse"],
        "",
        "working safely with perpetrators of domestic violence",
        1,
    ),
    ("Harmful Sexual Behaviour", F, "level_3", [], "", "harmful sexual behaviour by children", 1),
    (
        "Contextual Safeguarding",
        F,
        "level_3",
        ["missing-exploited-trafficked"],
        "",
        "risks to young people outside the home",
        1,
    ),
    (
        "Neglect Twilight Session for Early Years",
        T,
        "level_1",
        ["neglect"],
        "",
        "spotting neglect in early years settings",
        2,
    ),
]

FORMAT_TIMES = {B: ((12, 30), (13, 30)), H: ((9, 30), (13, 0)), F: ((9, 30), (16, 30)), T: ((16, 0), (18, 0))}

# One demo user per role; e-mail -> (first name, last name, role, agency index or None)
ROLE_USERS = {
    "delegate@example.org": ("Dana", "Delegate", Role.DELEGATE, 14),
    "coordinator@example.org": ("Colin", "Coordinator", Role.AGENCY_COORDINATOR, 0),
    "trainer@example.org": ("Amara", "Okafor", Role.TRAINER, 0),
    "admin@example.org": ("Ada", "Administrator", Role.TRAINING_ADMINISTRATOR, 0),
    "ppt@example.org": ("Priya", "Reviewer", Role.PPT_REVIEWER, 2),
    "finance@example.org": ("Fred", "Finance", Role.FINANCE, 0),
}

FIRST_NAMES = [
    "Sam",
    "Alex",
    "Jo",
    "Chris",
    "Nadia",
    "Tom",
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kofi",
    "Lucy",
    "Mo",
    "Niamh",
]
LAST_NAMES = ["Smith", "Jones", "Khan", "Brown", "Taylor", "Wilson", "Ahmed", "Evans", "Okoro", "Murphy"]

# Charging bands from published partnership policies (pence): (slug, name,
# invoicing allowed, {format: (price, late-cancellation/no-show fee)}).
BANDS = [
    (
        "non-contributing",
        "Non-contributing organisations",
        True,
        {
            "half_day": (3500, 5000),
            "full_day": (5000, 9000),
            "twilight": (2000, 3500),
            "conference": (5000, 9000),
            "briefing": (0, 0),
        },
    ),
    (
        "national-profit-making",
        "National, profit-making or out-of-area organisations",
        True,
        {
            "half_day": (7500, 5000),
            "full_day": (15000, 9000),
            "twilight": (4000, 3500),
            "conference": (15000, 9000),
            "briefing": (0, 0),
        },
    ),
    (
        "childminders",
        "Childminders",
        False,
        {
            "half_day": (2000, 3500),
            "full_day": (3500, 5000),
            "twilight": (1500, 2000),
            "conference": (3500, 5000),
            "briefing": (0, 0),
        },
    ),
]
# Sectors whose non-contributing agencies pay by default.
SECTOR_BANDS = {
    "early_years": "non-contributing",
    "education": "non-contributing",
    "housing": "non-contributing",
    "other": "non-contributing",
}
# Agencies with a band of their own.
AGENCY_BANDS = {"Sunshine Nurseries Ltd": "national-profit-making", "Riverside Childminders Network": "childminders"}
