"""The record kinds: what the incoming CSM must learn about an account, one declaration each.

Each kind is a table in the store (its ``key``), a list in the Context tab, a
form, a section of the export and a part of the demo. A field marked
``internal`` (dispositions, risks, pricing, health, ticket details, our own
notes) never reaches what the customer reads: the customer export and the
intro email and invite read records only through
:func:`transfer_tui.records.record.customer_values`. The store's table class
of each kind is made from these declarations (see
:mod:`transfer_tui.store.record_models`); the file's migrations declare the same
columns in SQL, and a test checks that they agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from transfer_tui.records.fields import FieldSpec, FieldType

T, LONG, INT, MONEY, CUR, DATE, CHOICE, BOOL, LIST, LINK = (
    FieldType.TEXT, FieldType.LONG_TEXT, FieldType.INT, FieldType.MONEY, FieldType.CURRENCY,
    FieldType.DATE, FieldType.CHOICE, FieldType.BOOL, FieldType.LIST, FieldType.LINK,
)
LEVELS = (("high", "high"), ("medium", "medium"), ("low", "low"))
PER = (("acv", "ACV (per year)"), ("mrr", "MRR (per month)"))


@dataclass(frozen=True)
class RecordKind:
    """One kind of record. ``title`` heads its list; ``noun`` names one record in messages."""

    key: str
    title: str
    noun: str
    title_field: str
    fields: tuple[FieldSpec, ...]
    columns: tuple[str, ...]
    about: str
    sort_field: str | None = None
    newest_first: bool = False

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.key} has no field {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    @property
    def customer_fields(self) -> tuple[FieldSpec, ...]:
        """The fields a customer may read; the others are ``internal``."""
        return tuple(spec for spec in self.fields if not spec.internal)

    @property
    def internal(self) -> bool:
        """Every field is internal (health, tickets, risks): the customer sees none of it."""
        return not self.customer_fields


def _f(name: str, label: str, type: FieldType = T, help: str = "", **more: object) -> FieldSpec:
    return FieldSpec(name, label, type, help=help, **more)  # type: ignore[arg-type]


LICENSE = RecordKind(
    "license", "License", "license", "plan",
    (
        _f("plan", "Plan or tier", required=True, help="e.g. Enterprise, Team, Platform flat fee"),
        _f("seats_bought", "Seats bought", INT, "A whole number; blank if unlimited", minimum=0,
           short="Seats"),
        _f("seats_used", "Seats used", INT, "A whole number", minimum=0, short="Used"),
        _f("contract_value", "Contract value", MONEY, "e.g. 220000 or 220k; currency below",
           minimum=0, currency_field="currency", basis_field="value_basis", short="Value",
           internal=True),
        _f("value_basis", "Value is", CHOICE, "ACV is per year, MRR per month", choices=PER,
           internal=True),
        _f("currency", "Currency", CUR, "Three letters, e.g. USD, EUR, GBP", internal=True),
        _f("billing", "Billing frequency", CHOICE, short="Billing", choices=(
            ("monthly", "monthly"), ("quarterly", "quarterly"), ("annual", "annual"),
            ("upfront", "upfront"), ("other", "other"))),
        _f("contract_start", "Contract start", DATE, "YYYY-MM-DD"),
        _f("contract_end", "Contract end", DATE, "YYYY-MM-DD"),
        _f("renewal_date", "Renewal date", DATE, short="Renewal", help=
           "YYYY-MM-DD; renewal outreach starts 90 days before"),
        _f("notes", "Notes", LONG, "Anything pending: price changes, seat true-ups, order form",
           internal=True),
    ),
    ("plan", "seats_used", "seats_bought", "contract_value", "renewal_date"),
    "What the customer pays for: plan, seats, value, term and renewal.",
)

CHANNEL = RecordKind(
    "channel", "Channels", "channel", "address",
    (
        _f("address", "Address or link", required=True,
           help="An email address, channel name, project link or phone number"),
        _f("kind", "Kind", CHOICE, default="email", choices=(
            ("email", "email"), ("slack", "Slack"), ("teams", "Teams"),
            ("collaboration", "collaboration project"), ("phone", "phone"), ("other", "other"))),
        _f("purpose", "Purpose", help="What the customer uses it for, e.g. day-to-day questions"),
        _f("is_primary", "Primary channel", BOOL, "The one to use first", short="Primary"),
    ),
    ("kind", "address", "purpose", "is_primary"),
    "Where the customer talks to us, and what for.",
)

HEALTH = RecordKind(
    "health", "Health", "health entry", "day",
    (
        _f("day", "Date", DATE, "YYYY-MM-DD: when the score was taken", required=True,
           internal=True),
        _f("score", "Score (0-100)", INT, short="Score", help= "Blank if you only have a colour",
           minimum=0, maximum=100, internal=True),
        _f("colour", "Colour", CHOICE, choices=(
            ("green", "green"), ("yellow", "yellow"), ("red", "red")), internal=True),
        _f("comment", "Comment", LONG, "Why it moved, what to watch", internal=True),
    ),
    ("day", "score", "colour", "comment"),
    "Health score entries over time: the latest and its trend show in the header.",
    sort_field="day", newest_first=True,
)

OBJECTIVE = RecordKind(
    "objective", "Success plan", "objective", "objective",
    (
        _f("objective", "Objective", required=True, help="What the customer wants to achieve"),
        _f("metric", "Metric", help="How it is measured, e.g. on-time delivery rate"),
        _f("baseline", "Baseline", help="Where it stood, e.g. 91%"),
        _f("target", "Target", help="Where it should get to, e.g. 97%"),
        _f("due_date", "Due date", DATE, "YYYY-MM-DD"),
        _f("owner", "Customer-side owner", short="Owner",
           help="Who answers for it at the customer"),
        _f("status", "Status", CHOICE, default="planned", choices=(
            ("planned", "planned"), ("on_track", "on track"), ("at_risk", "at risk"),
            ("achieved", "achieved"), ("missed", "missed")), internal=True),
        _f("csm", "Driven by (our side)", short="CSM", internal=True,
           help="Our person; blank: the outgoing CSM"),
    ),
    ("objective", "target", "due_date", "status"),
    "The customer's objectives: metric, baseline, target, due date and owner.",
    sort_field="due_date",
)

TICKET = RecordKind(
    "ticket", "Tickets", "ticket", "title",
    (
        _f("reference", "Ticket id or link", short="Ticket",
           help="e.g. #48213 or a link to the ticket", internal=True),
        _f("title", "Title", required=True, help="What it is about, in a few words",
           internal=True),
        _f("severity", "Severity", CHOICE, choices=(
            ("critical", "critical"), ("high", "high"), ("medium", "medium"), ("low", "low")),
           internal=True),
        _f("status", "Status", CHOICE, default="open", choices=(
            ("open", "open"), ("waiting", "waiting on customer"), ("solved", "solved")),
           internal=True),
        _f("cc", "Incoming CSM in CC", BOOL, "Is the incoming CSM subscribed to it?", short="CC",
           internal=True),
        _f("csm", "Followed up by (our side)", short="CSM", internal=True,
           help="Our person; blank: the outgoing CSM"),
    ),
    ("reference", "title", "severity", "status", "cc"),
    "Support tickets the customer cares about, and whether the incoming CSM is in CC.",
)

CADENCE = RecordKind(
    "cadence", "Cadence calls", "cadence call", "name",
    (
        _f("name", "Call", required=True, help="e.g. Weekly ops sync"),
        _f("cadence", "Cadence", CHOICE, choices=(
            ("weekly", "weekly"), ("biweekly", "every two weeks"), ("monthly", "monthly"),
            ("quarterly", "quarterly"), ("other", "other"))),
        _f("day_time", "Day and time", help="e.g. Thursday 15:00 CET"),
        _f("attendees", "Usual attendees", LIST, "One person per line, e.g. Ana Lopez (ops)"),
        _f("lead", "Leads during the transition", CHOICE, short="Leads", choices=(
            ("outgoing", "outgoing CSM"), ("incoming", "incoming CSM"),
            ("both", "both, pairing"))),
        _f("takeover_date", "Incoming CSM leads from", DATE, "YYYY-MM-DD", short="Takeover"),
        _f("agenda_link", "Agendas and notes", help="A link to recent agendas and notes",
           internal=True),
    ),
    ("name", "cadence", "day_time", "lead", "takeover_date"),
    "Recurring calls: when, who comes, who leads while the account changes hands.",
)

STAKEHOLDER = RecordKind(
    "stakeholder", "Stakeholders", "stakeholder", "name",
    (
        _f("name", "Name", required=True),
        _f("job_title", "Title", help="Their job title, e.g. VP Operations"),
        _f("email", "Email", FieldType.EMAIL, "e.g. ana.lopez@customer.example"),
        _f("phone", "Phone", help="e.g. +49 30 1234 5678"),
        _f("sponsor", "Executive sponsor", BOOL, "The executive who answers for the account "
           "(more than one person may be)", short="Sponsor"),
        _f("primary_contact", "Primary contact", BOOL, "The person we talk to day to day",
           short="Primary"),
        _f("role", "Role in the deal", CHOICE, short="Role", choices=(
            ("champion", "champion"), ("economic_buyer", "economic buyer"),
            ("technical_evaluator", "technical evaluator"), ("end_user", "end user"),
            ("blocker", "blocker"), ("other", "other")), internal=True),
        _f("disposition", "Disposition", CHOICE, choices=(
            ("enthusiastic", "enthusiastic"), ("supportive", "supportive"),
            ("neutral", "neutral"), ("skeptical", "skeptical")), internal=True),
        _f("preferred_contact", "Preferred contact", short="Contact",
           help="e.g. Slack, short emails, phone", internal=True),
        _f("personal_win", "Personal win", help="What they want out of this for themselves",
           internal=True),
        _f("style", "Communication style", help="e.g. direct, wants data first, no small "
           "talk", short="Style", internal=True),
        _f("introduced_on", "Introduced to the incoming CSM on", DATE,
           "YYYY-MM-DD: the day they met the new CSM; blank until then", short="Introduced",
           internal=True),
        _f("notes", "Notes", LONG, "How to work with them", internal=True),
    ),
    ("name", "job_title", "role", "disposition", "sponsor", "primary_contact",
     "introduced_on"),
    "Who matters at the customer, what they want and how they feel about us.",
)

PROMISE = RecordKind(
    "promise", "Promises", "promise", "promise",
    (
        _f("promise", "What was promised", required=True),
        _f("made_to", "To whom", short="To", help="Who at the customer heard it"),
        _f("made_when", "When", help="e.g. discovery call, Jan 2026"),
        _f("explicit", "Explicit or implied", CHOICE, default="explicit", short="Kind",
           choices=(
            ("explicit", "explicit"), ("implied", "implied")), internal=True),
        _f("status", "Status", CHOICE, default="pending", choices=(
            ("pending", "pending"), ("at_risk", "at risk"), ("fulfilled", "fulfilled")),
           internal=True),
        _f("owner", "Owner on our side", short="Owner", help="Who delivers it"),
    ),
    ("promise", "made_to", "explicit", "status", "owner"),
    "Every commitment made to the customer: pending and at-risk ones are open work.",
)

RISK = RecordKind(
    "risk", "Risks", "risk", "risk",
    (
        _f("risk", "Risk", required=True, internal=True),
        _f("category", "Category", CHOICE, choices=(
            ("political", "political"), ("technical", "technical"), ("adoption", "adoption"),
            ("timeline", "timeline"), ("commercial", "commercial")), internal=True),
        _f("severity", "Severity", CHOICE, default="medium", choices=(
            ("high", "high"), ("medium", "medium"), ("low", "low")), internal=True),
        _f("signal", "Trigger signal", help="What would tell you it is happening", internal=True),
        _f("mitigation", "Mitigation", LONG, "What we do about it", internal=True),
        _f("owner", "Owner", help="Who watches it", internal=True),
    ),
    ("risk", "category", "severity", "mitigation", "owner"),
    "What could sink the account, the signal to watch and what we do about it.",
)

KEY_DATE = RecordKind(
    "key_date", "Key dates", "key date", "name",
    (
        _f("name", "What", required=True,
           help="Go-live, First QBR, Renewal, or any date you name"),
        _f("day", "Date", DATE, "YYYY-MM-DD; blank while not fixed"),
        _f("notes", "Notes", help="e.g. hard deadline set by the CFO", internal=True),
    ),
    ("name", "day", "notes"),
    "Go-live, first QBR, renewal and any other date that matters.",
    sort_field="day",
)

PRODUCT = RecordKind(
    "product", "Products", "product", "name",
    (
        _f("name", "Product or module", required=True, internal=True,
           help="e.g. Route optimisation, Predictive maintenance module"),
        _f("status", "Status", CHOICE, default="bought", internal=True, choices=(
            ("bought", "bought"), ("not_bought", "not bought"),
            ("competitor", "competitor's"))),
        _f("vendor", "Vendor", help="Whose it is, for a competitor's product", internal=True),
        _f("details", "Details", internal=True,
           help="What is included, why not bought, or why they chose us over it"),
        _f("notes", "Notes", LONG, "Anything else: prices quoted, trials, who decided",
           internal=True),
    ),
    ("name", "status", "vendor", "details"),
    "What the customer bought, what they did not, and the competitors' products they "
    "weighed or still use.",
)

OPPORTUNITY = RecordKind(
    "opportunity", "Opportunities", "opportunity", "name",
    (
        _f("name", "Opportunity", required=True, internal=True,
           help="What could grow, e.g. Two new distribution centres"),
        _f("kind", "Kind", CHOICE, default="expansion", internal=True,
           help="Expansion: more seats, sites or modules; upsell: a bigger plan", choices=(
            ("expansion", "expansion"), ("upsell", "upsell"), ("renewal", "renewal"))),
        _f("value", "Estimated value", MONEY, "e.g. 45000 or 45k; currency below",
           minimum=0, currency_field="currency", basis_field="value_basis", short="Value",
           internal=True),
        _f("value_basis", "Value is", CHOICE, "ACV is per year, MRR per month", choices=PER,
           internal=True),
        _f("currency", "Currency", CUR, "Three letters, e.g. USD, EUR, GBP", internal=True),
        _f("stage", "Stage", CHOICE, default="identified", internal=True, choices=(
            ("identified", "identified"), ("qualified", "qualified"),
            ("proposal", "proposal sent"), ("negotiation", "negotiation"),
            ("won", "closed won"), ("lost", "closed lost"))),
        _f("expected_close", "Expected close", DATE, "YYYY-MM-DD: when it should be signed",
           short="Close", internal=True),
        _f("interest", "Customer interest", CHOICE, short="Interest", choices=LEVELS,
           internal=True),
        _f("trigger_event", "Trigger event", internal=True,
           help="What opens the conversation, e.g. the ROI review goes well"),
        _f("owner", "Owner on our side", short="Owner", internal=True,
           help="Who drives it, e.g. the account executive"),
        _f("notes", "Notes", LONG, "Who asked, what was said, what not to do", internal=True),
    ),
    ("name", "kind", "value", "stage", "expected_close"),
    "Room to grow: expansion, upsell and renewal chances, their value, stage and "
    "expected close.",
    sort_field="expected_close",
)

FEATURE_REQUEST = RecordKind(
    "feature_request", "Feature requests", "feature request", "title",
    (
        _f("title", "Request", required=True, help="What they asked for, in a few words"),
        _f("link", "Link", LINK, "The issue or request: an http(s) link or a file path",
           internal=True),
        _f("status", "Status", CHOICE, default="open", choices=(
            ("open", "open"), ("planned", "planned"), ("shipped", "shipped"),
            ("declined", "declined"))),
        _f("priority", "Customer priority", CHOICE, short="Priority", choices=LEVELS,
           help="How much it matters to the customer"),
        _f("asked_by", "Asked by", help="Who at the customer wants it"),
        _f("notes", "Notes", LONG, "Why they want it, the workaround, what they were told",
           internal=True),
    ),
    ("title", "priority", "status", "asked_by"),
    "What the customer asked the product for, how much it matters to them and where it "
    "stands.",
)

ENVIRONMENT = RecordKind(
    "environment", "Tech environment", "environment", "name",
    (
        _f("name", "Environment", required=True, help="Which one, e.g. Production, EU staging",
           internal=True),
        _f("hosting", "Hosting", CHOICE, internal=True, choices=(
            ("saas", "our cloud (SaaS)"), ("dedicated", "dedicated cloud"),
            ("self_managed", "self-managed"), ("hybrid", "hybrid"))),
        _f("location", "Where it runs", short="Where", internal=True,
           help="e.g. AWS eu-central-1, their own data centre in Ohio"),
        _f("product_version", "Version", help="e.g. 17.4; blank on our cloud", internal=True),
        _f("identity_provider", "Identity provider", short="Sign-in", internal=True,
           help="How people sign in, e.g. Okta (SAML), Azure AD"),
        _f("integrations", "Integrations", LIST, "One per line, e.g. SAP TM (API)",
           internal=True),
        _f("quirks", "Quirks", LONG, "What trips people up: change freezes, proxies, "
           "upgrade windows", internal=True),
        _f("docs_link", "Architecture notes", LINK, "An http(s) link or a file path",
           short="Notes", internal=True),
    ),
    ("name", "hosting", "location", "identity_provider"),
    "Where the customer's instance runs, how people sign in, what it connects to and its "
    "quirks.",
)

DOCUMENT = RecordKind(
    "document", "Documents", "document", "title",
    (
        _f("title", "Document", required=True, internal=True,
           help="e.g. Order form 2026, EBR recording (March)"),
        _f("kind", "Kind", CHOICE, internal=True, choices=(
            ("order_form", "order form"), ("sow", "SOW"), ("contract", "contract"),
            ("recording", "call recording"), ("notes", "notes folder"),
            ("handoff", "handoff document"), ("other", "other"))),
        _f("link", "Link or path", LINK, "An http(s) link or a file path", internal=True),
        _f("day", "Dated", DATE, "YYYY-MM-DD: signed, recorded or last updated",
           internal=True),
        _f("notes", "Why it matters", short="Notes", internal=True,
           help="e.g. minute 12: the promise about the ERP integration"),
    ),
    ("title", "kind", "day", "link"),
    "Order forms, SOWs, call recordings and notes folders: where each one is kept.",
    sort_field="day", newest_first=True,
)

KINDS: tuple[RecordKind, ...] = (
    LICENSE, PRODUCT, CHANNEL, HEALTH, OBJECTIVE, OPPORTUNITY, TICKET, FEATURE_REQUEST,
    ENVIRONMENT, CADENCE, STAKEHOLDER, PROMISE, RISK, KEY_DATE, DOCUMENT,
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}


def get_kind(key: str) -> RecordKind:
    try:
        return KIND_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown record kind {key!r}") from None
