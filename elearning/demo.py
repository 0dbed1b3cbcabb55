"""The demo partnership's e-learning: two modules written for this project and
hosted on the site, and the external modules it buys licences for.

The hosted modules' content is original, written for practitioners in
England. It follows Working Together to Safeguard Children (2023), the
statutory guidance, and uses its definitions; local details (the MASH's
number, the partnership's procedures) are left to the partnership's own pages.
"""

INTRODUCTION = {
    "slug": "introduction-to-safeguarding-children",
    "title": "Introduction to safeguarding children",
    "level": "level_1",
    "estimated_minutes": 25,
    "renewal_months": 36,
    "pass_mark_percent": 80,
    "summary": "A short introduction for everyone who works or volunteers with children, young people or their "
    "families: what safeguarding means, the four categories of abuse, and what to do if you are worried.",
    "audience": "Everyone who works or volunteers with children, young people or families, including staff in "
    "adult services, reception and support staff, volunteers and faith groups.",
    "learning_outcomes": "Explain what safeguarding means and why it is everyone's responsibility\n"
    "Name the four categories of abuse and some of their signs\n"
    "Respond well when a child tells you something worrying\n"
    "Know who to tell, and when to call 999",
    "pages": [
        (
            "What safeguarding means",
            """Everyone who comes into contact with children and families has a part to play in keeping
children safe. You do not need to be a social worker or a police officer: a receptionist, a bus
driver, a dentist or a football coach may be the person a child trusts, or the one who notices
that something is wrong.

## Who is a child?

In safeguarding law and guidance in England, a **child** is anyone who has not yet reached their
18th birthday. A 16 or 17-year-old who lives independently, works, or is in the armed forces is
still a child.

## What the guidance says

*Working Together to Safeguard Children* (2023) is the statutory guidance that tells organisations
in England how to work together to keep children safe. It describes safeguarding and promoting
the welfare of children as:

* protecting children from abuse and neglect, inside or outside the home, including online
* preventing harm to children's physical and mental health and development
* making sure children grow up with safe and effective care
* taking action so that all children can have the best outcomes

**Child protection** is part of safeguarding. It is the action taken when a child is suffering, or
is likely to suffer, significant harm.

## Who is responsible?

Locally, three **safeguarding partners** lead the arrangements: the local authority, the integrated
care board (health) and the police. They work with schools, nurseries, health services, housing,
probation, voluntary and faith groups and many others. The Children Act 2004 requires many
organisations to have arrangements to safeguard children.

> Safeguarding is everyone's responsibility. If you are worried about a child, you must act on it.
""",
        ),
        (
            "The four categories of abuse",
            """*Working Together to Safeguard Children* names four categories of abuse. A child may suffer
more than one, and the categories often overlap.

## Physical abuse

Hitting, shaking, throwing, poisoning, burning or scalding, drowning, suffocating or otherwise
causing physical harm. It also includes a parent or carer making up or deliberately causing
illness in a child (fabricated or induced illness).

## Emotional abuse

The persistent emotional maltreatment of a child, harming their emotional development: for
example making a child feel worthless or unloved, expecting things they are too young to manage,
serious bullying (including online), or a child seeing or hearing another person being
ill-treated, as happens with domestic abuse. Some emotional abuse is part of every kind of
maltreatment.

## Sexual abuse

Forcing or enticing a child to take part in sexual activities, whether or not the child is aware
of what is happening. It includes contact abuse and non-contact abuse, such as making a child look
at or take part in producing sexual images, or grooming a child in preparation for abuse,
including online. Women and other children can commit sexual abuse, as well as men.

## Neglect

The persistent failure to meet a child's basic physical and/or psychological needs, likely to
seriously harm their health or development. There is a module of its own on recognising neglect.

## Harm outside the home

Children can also be harmed outside their families: sexual and criminal exploitation (including
"county lines"), serious youth violence, radicalisation and online harm. Under the Domestic Abuse
Act 2021, a child who sees, hears or experiences the effects of domestic abuse is a victim in
their own right.
""",
        ),
        (
            "Noticing and listening",
            """There is rarely one clear sign of abuse. More often it is a pattern: an injury that does not
fit the explanation given, a change in behaviour, or several small worries that add up.

## Signs that may worry you

* injuries with no explanation, or an explanation that does not fit, especially in babies: a
  bruise on a baby who is not yet crawling or walking should always be taken seriously
* a child who seems frightened of a parent or carer, or of going home
* changes in behaviour: becoming withdrawn, anxious, aggressive or clingy
* sexual behaviour or knowledge that is not usual for the child's age
* going missing, having unexplained money, phones or gifts, or new older "friends"
* self-harm, or talk of feeling worthless

Disabled children are more likely to be abused and may find it harder to tell someone, so pay
particular attention to what their behaviour may be telling you.

## If a child tells you something

* **Listen** and stay calm. Let them tell you in their own words.
* **Take it seriously** and tell them they were right to tell you.
* **Do not promise to keep it a secret.** Explain that you will need to tell someone whose job it
  is to help keep them safe.
* **Do not investigate** or ask leading questions, such as "Did your dad do that?". Open
  prompts such as "Tell me more" are enough.
* **Write it down** as soon as you can: the date and time, who was there, and what the child said,
  in their own words. Keep what you saw apart from what you think.

Many children never tell anyone directly. They may be frightened, ashamed, loyal to the person
harming them, or not know that what is happening is wrong.
""",
        ),
        (
            "What to do if you are worried",
            """## If a child is in immediate danger

Call the police on **999**. Then tell your designated safeguarding lead.

## Otherwise, the same day

1. **Speak to your designated safeguarding lead** (DSL), or your manager if your organisation does
   not have one. Do not wait for the next supervision or team meeting.
2. With your DSL, decide whether to **refer to children's social care**. In most areas referrals go
   to the **Multi-Agency Safeguarding Hub (MASH)**, where the council, police, health and others
   look at the concern together. Anyone can make a referral: if you are still worried after
   speaking to your DSL, you can make it yourself. Outside office hours, contact the council's
   emergency duty team.
3. **Record** what you saw or heard, what you did and why.

## Sharing information

Data protection law (the Data Protection Act 2018 and UK GDPR) does not stop you sharing
information to keep a child safe. Fears about sharing information must never get in the way of
protecting a child.

## If the worry is about someone who works with children

Tell your manager or DSL at once. Your organisation must tell the local authority designated
officer (LADO) within one working day.

## If you disagree

If you think a decision about a child is wrong, say so, and use the partnership's escalation
procedure. Stay curious: keep asking how things are for the child.

## Where else to get advice

* the NSPCC helpline for adults: 0808 800 5000
* Childline, for children and young people: 0800 1111
""",
        ),
    ],
    "questions": [
        (
            "In safeguarding law and guidance in England, who is a child?",
            [
                "Anyone who has not yet reached their 18th birthday",
                "Anyone under 16",
                "Anyone still in full-time education",
                "Anyone under 21 who lives with their parents",
            ],
            0,
            "A child is anyone under 18, even if they live independently, work or are in the armed forces.",
        ),
        (
            "Which are the four categories of abuse named in Working Together to Safeguard Children?",
            [
                "Physical abuse, emotional abuse, sexual abuse and neglect",
                "Physical abuse, financial abuse, bullying and neglect",
                "Emotional abuse, exploitation, radicalisation and neglect",
            ],
            0,
            "Physical, emotional and sexual abuse and neglect. Exploitation and radicalisation are harms "
            "outside the home; financial abuse is a category in adult safeguarding.",
        ),
        (
            "A child tells you that someone at home hurts them, and asks you to keep it a secret. What do you do?",
            [
                "Listen, tell them they were right to tell you, and explain that you cannot keep it secret "
                "because you need to tell someone who can help",
                "Promise to keep it secret, so that they keep trusting you",
                "Ask them detailed questions to find out exactly what happened",
                "Wait to see whether they mention it again",
            ],
            0,
            "Never promise confidentiality, and do not investigate: listen, reassure, explain what happens "
            "next and pass it on.",
        ),
        (
            "You are worried about a child who is not in immediate danger. Who should you speak to, and when?",
            [
                "Your designated safeguarding lead or manager, the same day",
                "The child's parents, to hear their side first",
                "Nobody, until you have proof",
                "Your team, at the next team meeting",
            ],
            0,
            "Talk to your designated safeguarding lead the same day; together you decide whether to refer to "
            "the MASH.",
        ),
        (
            "What should you do if a child is in immediate danger?",
            [
                "Call the police on 999",
                "E-mail the Multi-Agency Safeguarding Hub",
                "Write it in your notes and raise it tomorrow",
            ],
            0,
            "A child in immediate danger needs the police now: call 999, then tell your DSL.",
        ),
    ],
}

NEGLECT = {
    "slug": "recognising-neglect",
    "title": "Recognising neglect",
    "level": "",
    "estimated_minutes": 20,
    "renewal_months": None,
    "pass_mark_percent": 80,
    "summary": "Neglect is the most common reason children in England need a child protection plan, and the "
    "easiest harm to miss. This module helps you notice it and act on it.",
    "audience": "Practitioners and volunteers who see children and families regularly: early years, schools, "
    "health, housing, youth work and the voluntary sector. Take the introduction first.",
    "learning_outcomes": "Describe what neglect is and the forms it takes\n"
    "Recognise signs of neglect in babies, children and teenagers\n"
    "Explain why neglect is missed and how to see the whole picture\n"
    "Know what to do when you are worried",
    "pages": [
        (
            "What neglect is",
            """*Working Together to Safeguard Children* (2023) defines neglect as the **persistent failure to
meet a child's basic physical and/or psychological needs, likely to result in the serious
impairment of the child's health or development**.

It can begin before birth, for example through a mother's substance misuse in pregnancy. After a
child is born, it may be a parent or carer failing to:

* provide enough food, clothing and shelter (including throwing a child out of home or abandoning
  them)
* protect the child from physical and emotional harm or danger
* make sure the child is properly supervised, including leaving them with unsuitable carers
* make sure the child gets the medical care or treatment they need

It also includes neglecting, or not responding to, a child's basic emotional needs.

## Why it matters

Neglect is the most common category of abuse when children in England become the subject of a
child protection plan. Its harm is **cumulative**: it builds up over months and years, and can
affect a child's brain development, health, learning, relationships and safety for the rest of
their life. Reviews of serious cases, where a child died or was seriously harmed, very often find
that neglect had been present for a long time.

## Forms of neglect

| Form | For example |
|---|---|
| Physical | not enough food, unsuitable clothing, unsafe or dirty home |
| Emotional | a child ignored, rejected or given no warmth |
| Medical and dental | untreated conditions, missed appointments |
| Educational | not registered for school, persistent absence |
| Supervision | a young child left alone, no boundaries for a teenager |
""",
        ),
        (
            "Signs of neglect",
            """No single sign proves neglect. Look at how the child is over time, and at what their day is
really like.

## In babies and young children

* persistent nappy rash, or a baby often left alone in a cot or car seat
* faltering growth or weight, with no medical cause
* delayed development, including speech
* a child who is very passive, or overly friendly with adults they do not know

## In children of any age

* often hungry, stealing or hoarding food
* poor hygiene, dirty or unsuitable clothing for the weather
* untreated health problems or tooth decay; appointments missed because the child **was not
  brought**
* often tired, frequently absent or late for school
* frequent accidents or injuries from lack of supervision
* left at home alone, or in the care of someone unsuitable

## In teenagers

Neglect of teenagers is easily overlooked because they can seem self-sufficient. Look out for
young people with no one setting boundaries, who go missing, stay out late with no one asking
where they are, or look after themselves (and sometimes their brothers and sisters) without
support. Neglected teenagers are at greater risk of exploitation.

## At home

No food in the house, no heating, no bed for the child, dangerous or very dirty conditions.
""",
        ),
        (
            "Why neglect is missed",
            """Neglect is often visible to many practitioners, each of whom sees only a part of it.

* **It builds slowly.** No single day seems bad enough to act on.
* **The "start again" habit.** Each new worker or each new plan starts afresh, and the history
  is lost.
* **Disguised compliance.** A parent seems to co-operate, so that professionals step back, but
  nothing changes for the child.
* **Optimism.** Wanting to see progress, professionals notice the good days and explain away
  the bad ones.
* **Getting used to it.** Conditions that once shocked become normal to those who visit often.

## What helps

* Keep the focus on the **child's lived experience**: what is a day like for this child?
* Keep a **chronology**, so that small concerns can be seen together.
* Think about the **trio of vulnerabilities**: domestic abuse, parental mental ill health and
  parental substance misuse. When they occur together, the risk to children rises.
* Poverty is not neglect, but it adds pressure on families. Ask what a family cannot do and what
  help would make a difference, and offer **early help** before problems grow.
* Use the assessment tools your partnership recommends, such as the Graded Care Profile 2, to
  look at the care a child receives in an organised way.
""",
        ),
        (
            "Acting on concerns about neglect",
            """The steps are the same as for any safeguarding concern.

1. **If a child is in immediate danger, call 999.**
2. **Talk to your designated safeguarding lead the same day.** Bring what you know together:
   dates, what you saw, what the child and family said.
3. **Decide together what help is needed.** Where a family needs support, an early help
   assessment may be right. Where a child is suffering, or likely to suffer, significant harm,
   refer to children's social care through the **MASH**.
4. **Record** what you saw, what you did and why, and keep it up to date.
5. **Follow up.** If nothing changes for the child, raise it again, and use the partnership's
   escalation procedure if you need to.

## An example

Jay is seven. Over a term his teacher notices that he often arrives hungry, wears the same
clothes for days, and has missed two dental appointments. Each worry is small. Taken together,
and written down with dates, they show a pattern. The teacher talks to the designated
safeguarding lead, who speaks to the health visitor and school nurse, finds they share similar
worries, and together they agree the next step with Jay's family and, where needed, the MASH.
""",
        ),
    ],
    "questions": [
        (
            "Which best describes neglect in Working Together to Safeguard Children?",
            [
                "The persistent failure to meet a child's basic physical and/or psychological needs, likely to "
                "seriously harm their health or development",
                "A single occasion on which a child is left alone for a few minutes",
                "Any family living on a low income",
                "A child choosing not to eat their lunch",
            ],
            0,
            "Neglect is persistent, and it harms the child's health or development. Poverty alone is not neglect.",
        ),
        (
            "Why is neglect often missed?",
            [
                "It builds up slowly, so no single incident seems serious enough to act on",
                "It only happens in families already known to children's social care",
                "It has no visible signs",
            ],
            0,
            "Its harm is cumulative: keep a chronology so that small concerns can be seen together.",
        ),
        (
            "A four-year-old has missed several health appointments and has untreated tooth decay. "
            "How should you think about this?",
            [
                "As possible medical neglect: the child was not brought. Record it, look at the wider picture and "
                "talk to your designated safeguarding lead",
                "As the child's own responsibility",
                "As nothing to worry about unless the child complains of pain",
            ],
            0,
            "Young children depend on adults to take them to appointments: say \"was not brought\", not \"did not "
            "attend\".",
        ),
        (
            "Which three difficulties, when parents face them together, are known to raise the risk of harm to "
            "children?",
            [
                "Domestic abuse, parental mental ill health and parental substance misuse",
                "Unemployment, separation and moving house",
                "Shift work, large families and living in a flat",
            ],
            0,
            "The \"trio of vulnerabilities\": domestic abuse, mental ill health and substance misuse.",
        ),
        (
            "For months you have had small worries about a family, each minor on its own. What should you do?",
            [
                "Bring them together with dates and discuss them with your designated safeguarding lead",
                "Wait until something serious happens",
                "Deal with each worry on its own and close it",
                "Tell the family you are keeping a file on them",
            ],
            0,
            "The pattern is the concern: a chronology shows what no single worry does.",
        ),
    ],
}

HOSTED = [INTRODUCTION, NEGLECT]

# Modules the demo partnership buys from external providers (the provider is fictional).
EXTERNAL = [
    {
        "slug": "safeguarding-children-level-2",
        "title": "Safeguarding Children Level 2",
        "level": "level_2",
        "estimated_minutes": 120,
        "renewal_months": 36,
        "provider": "Riverside Learning Hub (demo provider)",
        "external_url": "https://elearning.example.org/courses/safeguarding-children-level-2",
        "summary": "For practitioners in regular contact with children, young people and families: "
        "recognising and responding to abuse and neglect, and working with other agencies.",
        "audience": "Practitioners who work regularly with children, young people, parents or carers.",
        "access_instructions": "The partnership buys licences for practitioners in the borough. Ask your "
        "agency's training coordinator for an enrolment code, or e-mail the partnership's business unit from "
        "your work address. Enrol with your work e-mail address: the provider sends us completions every "
        "month, and they appear in your training record.",
    },
    {
        "slug": "safeguarding-children-level-1-provider",
        "title": "Safeguarding Children Level 1 (provider course)",
        "level": "level_1",
        "estimated_minutes": 60,
        "renewal_months": 36,
        "provider": "Riverside Learning Hub (demo provider)",
        "external_url": "https://elearning.example.org/courses/safeguarding-children-level-1",
        "summary": "The provider's Level 1 course, for those whose employer asks for it. Our own introduction "
        "covers the same ground on this website.",
        "audience": "Everyone who works or volunteers with children and families.",
        "access_instructions": "Ask your agency's training coordinator for an enrolment code, and enrol with "
        "your work e-mail address.",
    },
    {
        "slug": "prevent-awareness",
        "title": "Prevent awareness",
        "level": "",
        "estimated_minutes": 45,
        "renewal_months": None,
        "provider": "Riverside Learning Hub (demo provider)",
        "external_url": "https://elearning.example.org/courses/prevent-awareness",
        "summary": "Understanding the Prevent duty and how to support people at risk of radicalisation.",
        "audience": "All practitioners.",
        "access_instructions": "Free for everyone: create an account on the provider's site with your work "
        "e-mail address.",
    },
]
