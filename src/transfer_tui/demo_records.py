"""The records of the sample handoffs: every kind for Globex Logistics and Initech, what
the other playbooks' samples need to show their readiness, and Wayne Freight's deal
(what they bought, what could grow) for the post-sale playbook.

Dates are days from today (``In(82)``), so the samples stay current: Globex's
renewal outreach is always a week overdue, Initech's is a month away. The
outgoing CSM writes down what they know on the first day (health entries keep
the dates they were measured); the incoming CSM verifies some of it, some by
nobody yet, so the screens show each state (nobody verifies what they wrote).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class In:
    """A date ``days`` from today (negative: in the past)."""

    days: int

    def on(self, today: date) -> date:
        return today + timedelta(days=self.days)


@dataclass(frozen=True)
class DemoRecord:
    """A record written ``day`` days after the handoff started by one side, and verified
    ``verified`` days after the start by the side in ``verifier``."""

    kind: str
    day: int
    by: str
    values: dict[str, Any]
    verified: int | None = None
    verifier: str = ""  # blank: the other side (nobody verifies what they wrote)

    @property
    def checker(self) -> str:
        return self.verifier or ("outgoing" if self.by == "incoming" else "incoming")

    def resolved(self, today: date) -> dict[str, Any]:
        return {k: v.on(today) if isinstance(v, In) else v for k, v in self.values.items()}


R = DemoRecord

GLOBEX = [
    R("license", 0, "outgoing", {
        "plan": "Enterprise", "seats_bought": 250, "seats_used": 231,
        "contract_value": "186,000", "value_basis": "acv", "currency": "USD",
        "billing": "annual", "contract_start": In(-1013), "contract_end": In(81),
        "renewal_date": In(82),
        "notes": "Three-year term. Finance asked about quarterly billing from the renewal on; "
                 "nothing agreed yet."}, verified=3),
    R("channel", 0, "outgoing", {
        "kind": "slack", "address": "#globex-ops (shared channel)",
        "purpose": "Day-to-day questions and incident updates", "is_primary": True},
      verified=3),
    R("channel", 0, "outgoing", {
        "kind": "email", "address": "legal@globex.example",
        "purpose": "Anything contractual; always copy Lena"}),
    R("channel", 4, "incoming", {
        "kind": "collaboration", "address": "https://git.example.com/globex/success",
        "purpose": "Open asks and feature requests (14 open, 5 stale)"}, verified=4),
    R("health", 0, "outgoing", {"day": In(-162), "score": 78, "colour": "green",
                                   "comment": "Steady since onboarding."}),
    R("health", 0, "outgoing", {"day": In(-102), "score": 74, "colour": "green",
                                  "comment": "Usage up in two new regions."}, 1),
    R("health", 0, "outgoing", {
        "day": In(-72), "score": 52, "colour": "yellow",
        "comment": "Export jobs failed for two days; Lena escalated to the COO."}),
    R("health", 0, "outgoing", {"day": In(-42), "score": 58, "colour": "yellow",
                                  "comment": "Recovering. They want SSO before renewal."}),
    R("health", 10, "incoming", {
        "day": In(-2), "score": 63, "colour": "yellow",
        "comment": "Better since the partial export fix; the sev-1 is still open."}, 10),
    R("objective", 0, "outgoing", {
        "objective": "Close the shipping ledger faster at month end",
        "metric": "Days to close", "baseline": "6 days", "target": "3 days",
        "due_date": In(60), "owner": "Lena Fischer", "status": "at_risk"}),
    R("objective", 0, "outgoing", {
        "objective": "Regional managers run their own exports",
        "metric": "Exports run without a support ticket", "baseline": "40%", "target": "90%",
        "due_date": In(120), "owner": "Tomasz Nowak", "status": "on_track"}, 6),
    R("ticket", 6, "incoming", {
        "reference": "#48213", "title": "Data export times out on large date ranges",
        "severity": "critical", "status": "open", "cc": False}, 7),
    R("ticket", 6, "incoming", {
        "reference": "#47990", "title": "SSO login loops in Safari", "severity": "medium",
        "status": "waiting", "cc": True}, 6),
    R("ticket", 6, "incoming", {
        "reference": "#47102", "title": "Invoices show the wrong currency", "severity": "low",
        "status": "solved", "cc": True}),
    R("cadence", 0, "outgoing", {
        "name": "Thursday ops sync", "cadence": "weekly", "day_time": "Thursday 16:00 CET",
        "attendees": ["Lena Fischer (finance ops)", "Tomasz Nowak (IT)", "Priya Raman",
                      "Marco Bellini"],
        "lead": "outgoing", "takeover_date": In(20),
        "agenda_link": "https://docs.example.com/globex/ops-sync"}, 8),
    R("cadence", 0, "outgoing", {
        "name": "Quarterly business review", "cadence": "quarterly",
        "day_time": "First Tuesday of the quarter, 14:00 CET",
        "attendees": ["Henrik Olsen (COO)", "Lena Fischer (finance ops)"], "lead": "both",
        "takeover_date": In(40)}),
    R("stakeholder", 0, "outgoing", {
        "name": "Lena Fischer", "job_title": "Head of Finance Operations", "role": "champion",
        "email": "lena.fischer@globex.example", "phone": "+49 40 5550 1234",
        "primary_contact": True, "style": "Direct; wants the bad news first",
        "introduced_on": In(-4), "disposition": "enthusiastic",
        "preferred_contact": "Slack; a call for anything big",
        "personal_win": "Close the books without weekend overtime",
        "notes": "Pushed for the purchase. Wants to hear about problems before her team does."},
      5),
    R("stakeholder", 0, "outgoing", {
        "name": "Henrik Olsen", "job_title": "COO", "role": "economic_buyer",
        "email": "henrik.olsen@globex.example", "sponsor": True,
        "style": "Numbers first, no small talk", "disposition": "supportive",
        "preferred_contact": "Short emails, numbers first",
        "personal_win": "Fewer late shipments in his board report"}),
    R("stakeholder", 0, "outgoing", {
        "name": "Tomasz Nowak", "job_title": "IT Manager", "role": "technical_evaluator",
        "email": "tomasz.nowak@globex.example",
        "disposition": "skeptical", "preferred_contact": "Email, with documents ahead of calls",
        "personal_win": "No surprises during their ERP upgrade"}),
    R("promise", 0, "outgoing", {
        "promise": "SSO with their identity provider before the renewal",
        "made_to": "Henrik Olsen", "made_when": "last QBR", "explicit": "implied",
        "status": "at_risk", "owner": "Marco Bellini"}),
    R("promise", 7, "outgoing", {
        "promise": "A weekly written status on the export ticket until it is fixed",
        "made_to": "Lena Fischer", "made_when": "escalation call", "explicit": "explicit",
        "status": "pending", "owner": "Priya Raman"}, 7),
    R("promise", 0, "outgoing", {
        "promise": "Training session for the new regional managers", "made_to": "Lena Fischer",
        "made_when": "spring check-in", "explicit": "explicit", "status": "fulfilled",
        "owner": "Priya Raman"}, 5),
    R("risk", 8, "incoming", {
        "risk": "Renewal stalls if the export ticket drags past month-end close",
        "category": "commercial", "severity": "high",
        "signal": "Lena copies Henrik on ticket updates", "owner": "Marco Bellini"}),
    R("risk", 8, "outgoing", {
        "risk": "IT is busy with an ERP upgrade in the first quarter",
        "category": "technical", "severity": "medium",
        "signal": "Tomasz misses two integration calls in a row",
        "mitigation": "Book the SSO work with Tomasz before January", "owner": "Priya Raman"},
      9),
    R("key_date", 3, "incoming", {"name": "Renewal", "day": In(82),
                                  "notes": "Outreach should have started already"}, 3),
    R("key_date", 3, "incoming", {"name": "Marco leads the Thursday calls", "day": In(20)}, 3),
    R("key_date", 3, "incoming", {"name": "First QBR with Marco", "day": In(40)}),
    R("product", 0, "outgoing", {
        "name": "Shipment tracking platform", "status": "bought",
        "details": "Enterprise, 250 seats, all four regions"}, 3),
    R("product", 0, "outgoing", {
        "name": "Finance analytics add-on", "status": "not_bought",
        "details": "Declined at signing: they wanted exports to work first",
        "notes": "Lena asked about it again in the spring."}),
    R("product", 0, "outgoing", {
        "name": "FreightFlow", "status": "competitor", "vendor": "FreightFlow Ltd",
        "details": "Weighed at signing; cheaper, no multi-currency ledger",
        "notes": "Henrik brings it up whenever an export fails."}, 3),
    R("opportunity", 0, "outgoing", {
        "name": "Renewal of the Enterprise term", "kind": "renewal", "value": "186,000",
        "value_basis": "acv", "currency": "USD", "stage": "qualified",
        "expected_close": In(82), "interest": "medium", "owner": "Marco Bellini",
        "trigger_event": "The export ticket is solved before their month-end close",
        "notes": "Finance wants quarterly billing from the renewal on; nothing agreed."}, 8),
    R("opportunity", 9, "incoming", {
        "name": "Finance analytics add-on", "kind": "expansion", "value": "24k",
        "value_basis": "acv", "currency": "USD", "stage": "identified",
        "expected_close": In(200), "interest": "high", "owner": "Marco Bellini",
        "trigger_event": "Two month-end closes in a row without an export failure",
        "notes": "Do not pitch it while the sev-1 is open."}),
    R("feature_request", 4, "incoming", {
        "title": "SSO through their identity provider (SAML)",
        "link": "https://git.example.com/globex/success/-/issues/31", "status": "planned",
        "priority": "high", "asked_by": "Tomasz Nowak",
        "notes": "Tied to the SSO promise made at the last QBR."}, 4),
    R("feature_request", 4, "incoming", {
        "title": "Export a whole year in one run",
        "link": "https://git.example.com/globex/success/-/issues/44", "status": "open",
        "priority": "high", "asked_by": "Lena Fischer",
        "notes": "Workaround until then: monthly exports, merged by hand."}),
    R("feature_request", 4, "incoming", {
        "title": "Dark theme for the dashboard", "status": "declined", "priority": "low",
        "asked_by": "Regional managers"}, 5),
    R("environment", 9, "incoming", {
        "name": "Production", "hosting": "saas", "location": "Our EU region (Frankfurt)",
        "identity_provider": "Passwords today; Azure AD wanted (see the SSO promise)",
        "integrations": ["NetSuite (nightly ledger export)", "SFTP drop for carrier invoices"],
        "quirks": "No changes in the last three working days of the month: their close.\n"
                  "Exports over 90 days time out until ticket #48213 is fixed.",
        "docs_link": "https://docs.example.com/globex/architecture"}),
    R("document", 0, "outgoing", {
        "title": "Order form, Enterprise three-year term", "kind": "order_form",
        "link": "https://drive.example.com/deals/globex/order-form.pdf", "day": In(-1013),
        "notes": "Section 4 caps the price rise at renewal"}, 3),
    R("document", 0, "outgoing", {
        "title": "Escalation call about the exports", "kind": "recording",
        "link": "https://recordings.example.com/globex/escalation", "day": In(-70),
        "notes": "Minute 14: what Lena needs for month-end close"}),
    R("document", 0, "outgoing", {
        "title": "Globex meeting notes", "kind": "notes",
        "link": "https://drive.example.com/customers/globex/notes",
        "notes": "Every call since onboarding, and the EBR decks"}, 3),
]

INITECH = [
    R("license", 1, "outgoing", {
        "plan": "Team", "seats_bought": 40, "seats_used": 38, "contract_value": "1,800",
        "value_basis": "mrr", "currency": "USD", "billing": "monthly",
        "contract_start": In(-245), "contract_end": In(119), "renewal_date": In(120),
        "notes": "They hinted at cutting to 25 seats at renewal."}, 2),
    R("channel", 2, "outgoing", {
        "kind": "email", "address": "it-helpdesk@initech.example",
        "purpose": "Tickets and day-to-day questions", "is_primary": True}, 2),
    R("channel", 2, "outgoing", {
        "kind": "teams", "address": "Initech vendors / analytics",
        "purpose": "Quick questions from the analysts"}, 5),
    R("health", 0, "outgoing", {"day": In(-240), "score": 70, "colour": "green",
                                   "comment": "Good rollout in the reporting team."}),
    R("health", 0, "outgoing", {"day": In(-140), "score": 66, "colour": "green"}),
    R("health", 0, "outgoing", {
        "day": In(-50), "score": 35, "colour": "red",
        "comment": "The champion left; nobody answered for three weeks."}),
    R("health", 10, "incoming", {"day": In(-30), "score": 38, "colour": "red",
                                 "comment": "New sponsor not engaged yet."}, 10),
    R("health", 30, "incoming", {"day": In(-10), "score": 45, "colour": "yellow",
                                 "comment": "Two analysts back on the weekly report."}, 30),
    R("objective", 12, "incoming", {
        "objective": "Replace the spreadsheet report process", "metric": "Reports filed on time",
        "baseline": "62%", "target": "95%", "due_date": In(-20), "owner": "Peter Gibbs",
        "status": "missed"}, 12),
    R("ticket", 16, "incoming", {
        "reference": "INI-311", "title": "Report export drops the cover sheet",
        "severity": "high", "status": "open", "cc": True}, 16),
    R("ticket", 16, "incoming", {
        "reference": "INI-298", "title": "SAML certificate expiry warning",
        "severity": "medium", "status": "solved", "cc": True}),
    R("cadence", 20, "incoming", {
        "name": "Monthly check-in", "cadence": "monthly",
        "day_time": "Second Wednesday, 10:00 EST",
        "attendees": ["Peter Gibbs (team lead)", "Samir Nair (analyst)", "Jordan Rivera"],
        "lead": "incoming", "takeover_date": In(-20)}, 20),
    R("stakeholder", 10, "outgoing", {
        "name": "Nina Brandt", "job_title": "VP Operations", "role": "economic_buyer",
        "sponsor": True,
        "disposition": "neutral", "preferred_contact": "Through her assistant",
        "personal_win": "Cut tool spend this year",
        "notes": "New sponsor since the champion left. Declined two invites."}),
    R("stakeholder", 10, "outgoing", {
        "name": "Peter Gibbs", "job_title": "Reporting team lead", "role": "champion",
        "email": "peter.gibbs@initech.example", "primary_contact": True,
        "introduced_on": In(-25),
        "disposition": "supportive", "preferred_contact": "Teams chat",
        "personal_win": "Stop rebuilding the weekly report by hand"}, 14),
    R("promise", 10, "outgoing", {
        "promise": "No price penalty if they drop to 25 seats at renewal",
        "made_to": "Nina Brandt", "made_when": "hallway chat at their offsite",
        "explicit": "implied", "status": "at_risk", "owner": "Jordan Rivera"}),
    R("promise", 10, "outgoing", {
        "promise": "Recording of the admin training", "made_to": "Peter Gibbs",
        "made_when": "onboarding", "explicit": "explicit", "status": "fulfilled",
        "owner": "Alex Chen"}, 12),
    R("risk", 15, "incoming", {
        "risk": "No engaged sponsor since the champion left", "category": "political",
        "severity": "high", "signal": "Invites declined, renewal questions unanswered",
        "mitigation": "Ask Peter to introduce Jordan to Nina at their team meeting"}),
    R("risk", 25, "incoming", {
        "risk": "Seat cut at renewal", "category": "commercial", "severity": "medium",
        "signal": "Seats used drops under 30",
        "mitigation": "Show the analysts' usage to Nina before the renewal talk",
        "owner": "Jordan Rivera"}, 25),
    R("key_date", 25, "incoming", {"name": "Renewal", "day": In(120)}, 25),
    R("key_date", 25, "incoming", {"name": "Meeting with Nina Brandt",
                                   "notes": "Not booked yet: two invites declined"}),
    R("product", 1, "outgoing", {
        "name": "Reporting workspace", "status": "bought",
        "details": "Team plan, 40 seats, billed monthly"}, 2),
    R("product", 1, "outgoing", {
        "name": "Scheduled report delivery", "status": "not_bought",
        "details": "Trialled in the spring; too dear for them then"}),
    R("product", 15, "incoming", {
        "name": "Tableau", "status": "competitor", "vendor": "Salesforce",
        "details": "Their BI team uses it; Nina asked why they pay for both"}, 16),
    R("opportunity", 25, "incoming", {
        "name": "Monthly renewal at 40 seats", "kind": "renewal", "value": "1,800",
        "value_basis": "mrr", "currency": "USD", "stage": "negotiation",
        "expected_close": In(120), "interest": "low", "owner": "Jordan Rivera",
        "notes": "They hinted at 25 seats; the usage numbers are our case."}, 25),
    R("opportunity", 25, "incoming", {
        "name": "Scheduled report delivery", "kind": "upsell", "value": "300",
        "value_basis": "mrr", "currency": "USD", "stage": "identified",
        "interest": "medium", "owner": "Jordan Rivera",
        "trigger_event": "Peter's team files every report on time for two months"}),
    R("feature_request", 16, "incoming", {
        "title": "Keep the cover sheet in PDF exports",
        "link": "https://support.example.com/tickets/INI-311", "status": "open",
        "priority": "high", "asked_by": "Peter Gibbs",
        "notes": "Their auditors reject reports without it."}, 17),
    R("feature_request", 5, "outgoing", {
        "title": "Excel export that keeps formulas", "status": "shipped",
        "priority": "medium", "asked_by": "Samir Nair"}, 6),
    R("environment", 2, "outgoing", {
        "name": "Production", "hosting": "saas", "location": "Our US East region",
        "identity_provider": "Okta (SAML)",
        "integrations": ["Snowflake (read-only connector)", "Microsoft Teams alerts"],
        "quirks": "Their IT approves new integrations on the first Monday of the month only."},
      8),
    R("document", 1, "outgoing", {
        "title": "Admin training recording", "kind": "recording",
        "link": "https://recordings.example.com/initech/admin-training", "day": In(-200),
        "notes": "What Peter's team was shown; the promised recording"}, 12),
    R("document", 2, "outgoing", {
        "title": "Initech notes folder", "kind": "notes",
        "link": "/shared/Customers/Initech/Notes"}),
]

SOYLENT = [  # everything the desktop study playbook asks, so it could be handed over
    R("objective", 1, "outgoing", {
        "objective": "Decide whether route planning fits their cold chain",
        "metric": "Planning hours per week", "baseline": "30", "target": "12",
        "owner": "Ines Moreau"}, 2),
    R("stakeholder", 1, "outgoing", {
        "name": "Ines Moreau", "job_title": "Head of Logistics", "role": "champion",
        "email": "ines.moreau@soylent.example", "primary_contact": True,
        "sponsor": True}, 2),
    R("key_date", 1, "outgoing", {"name": "Study read-out", "day": In(12)}, 2),
]

STARK = [
    R("license", 1, "outgoing", {"plan": "Platform flat fee", "renewal_date": In(359),
                                 "billing": "annual"}),
    R("stakeholder", 1, "outgoing", {"name": "Pepper Potts", "job_title": "COO",
                                     "sponsor": True, "role": "economic_buyer"}),
]

WONKA = [
    R("stakeholder", 0, "outgoing", {"name": "Charlie Bucket", "job_title": "Plant manager",
                                     "email": "charlie.bucket@wonka.example",
                                     "sponsor": True, "role": "champion"}),
    R("promise", 0, "outgoing", {"promise": "A pilot on the second line before spring",
                                 "made_to": "Charlie Bucket", "made_when": "final demo",
                                 "status": "pending"}),
]

WAYNE = [  # a deal just closed (post-sale playbook): what they bought and what could grow
    R("product", 0, "outgoing", {
        "name": "Dock scheduling", "status": "bought",
        "details": "Both depots, 60 dock doors, three-year term"}, 1),
    R("product", 0, "outgoing", {
        "name": "Yard camera analytics", "status": "not_bought",
        "details": "Wanted, but their cameras are replaced next year first"}),
    R("product", 0, "outgoing", {
        "name": "HaulPlan", "status": "competitor", "vendor": "HaulPlan GmbH",
        "details": "Cheaper; lost on carrier booking, which Wayne needs"}, 1),
    R("opportunity", 0, "outgoing", {
        "name": "Two cross-docks opening next spring", "kind": "expansion", "value": "60k",
        "value_basis": "acv", "currency": "EUR", "stage": "identified",
        "expected_close": In(150), "interest": "high", "owner": "Dana Whitfield",
        "trigger_event": "Go-live at both depots without missed slots for a month"}),
    R("environment", 1, "outgoing", {
        "name": "Production", "hosting": "saas", "location": "Our EU region",
        "identity_provider": "Entra ID (SAML), set up during the pilot",
        "integrations": ["Oracle TMS (booking API)", "Gate barrier controller"]}),
    R("document", 0, "outgoing", {
        "title": "Signed order form", "kind": "order_form",
        "link": "https://drive.example.com/deals/wayne/order-form.pdf", "day": In(-4)}, 1),
    R("document", 0, "outgoing", {
        "title": "Post-sale handoff document", "kind": "handoff",
        "link": "https://drive.example.com/deals/wayne/handoff"}),
]

RECORDS: dict[str, list[DemoRecord]] = {"Globex Logistics": GLOBEX, "Initech": INITECH,
                                        "Soylent Research": SOYLENT, "Stark Analytics": STARK,
                                        "Wayne Freight": WAYNE, "Wonka Foods": WONKA}
