"""The record types of every rustcase table: frozen Pydantic models, the one place a field is defined.

Arrow schemas, JSON Schemas and the data dictionary are all derived from these classes.
Spans (``start``/``end``) are Python string indexes (code points, end exclusive) into
``Article.text``; every span carries its ``text`` so that ``article.text[start:end] == text``
can be checked on every record.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rustcase.tables import TABLE_KEYS

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"

ArticleId = Annotated[str, StringConstraints(pattern=r"^art-\d{3,}$")]
PersonId = Annotated[str, StringConstraints(pattern=rf"^per-{_SLUG}$")]
OrganizationId = Annotated[str, StringConstraints(pattern=rf"^org-{_SLUG}$")]
PlaceId = Annotated[str, StringConstraints(pattern=rf"^plc-{_SLUG}$")]
WorkId = Annotated[str, StringConstraints(pattern=rf"^wrk-{_SLUG}$")]
EntityId = Annotated[str, StringConstraints(pattern=rf"^(?:per|org|plc|wrk)-{_SLUG}$")]
SpeakerId = Annotated[str, StringConstraints(pattern=rf"^(?:per|org)-{_SLUG}$")]
HolderId = Annotated[str, StringConstraints(pattern=rf"^(?:per|org)-{_SLUG}$|^art-\d{{3,}}$")]
QuoteId = Annotated[str, StringConstraints(pattern=r"^quo-\d{3,}-\d{3,}$")]
UtteranceId = Annotated[str, StringConstraints(pattern=r"^utt-\d{3,}$")]
EventId = Annotated[str, StringConstraints(pattern=rf"^evt-{_SLUG}$")]
ClaimId = Annotated[str, StringConstraints(pattern=rf"^clm-{_SLUG}$")]
MentionId = Annotated[str, StringConstraints(pattern=r"^men-\d{3,}-\d{4,}$")]
IsoDatePrefix = Annotated[str, StringConstraints(pattern=r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")]
Offset = Annotated[int, Field(ge=0)]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]

QuoteKind = Literal["direct", "partial", "nested", "indirect", "mixed"]
UtteranceRelation = Literal["exact", "substring", "edited"]
Medium = Literal[
    "tv_interview",
    "tv_broadcast",
    "press_conference",
    "statement_to_press",
    "court_document",
    "conversation",
    "thought",
    "unknown",
]
MentionType = Literal["name", "nominal"]
DatePrecision = Literal["day", "month", "year", "unknown"]
DateBasis = Literal["stated", "resolved", "inferred", "external", "unknown"]
Factuality = Literal["asserted", "attributed"]
Stance = Literal["asserts", "corroborates", "disputes", "alleges", "neutral"]
EventType = Literal[
    "shooting",
    "death",
    "injury",
    "transport",
    "medical_treatment",
    "rehearsal",
    "safety_demonstration",
    "interview",
    "broadcast",
    "statement",
    "press_conference",
    "investigation",
    "search",
    "seizure",
    "lawsuit",
    "hiring",
    "other",
]
AceType = Literal[
    "Life.Die",
    "Life.Injure",
    "Movement.Transport",
    "Contact.Meet",
    "Contact.Phone-Write",
    "Justice.Sue",
    "Justice.Arrest-Jail",
    "Justice.Charge-Indict",
    "Personnel.Start-Position",
    "Transaction.Transfer-Ownership",
]
ParticipantRole = Literal[
    "agent",
    "victim",
    "instrument",
    "artifact",
    "interviewer",
    "interviewee",
    "speaker",
    "addressee",
    "broadcaster",
    "investigator",
    "plaintiff",
    "defendant",
    "employer",
    "employee",
    "participant",
    "place",
    "vehicle",
    "destination",
]
OrganizationType = Literal[
    "news_organization",
    "broadcaster",
    "streaming_service",
    "law_enforcement",
    "prosecutor",
    "film_production",
    "other",
]
PlaceType = Literal["ranch", "county", "state", "city", "country", "building", "facility", "other"]
WorkType = Literal["film", "tv_special", "tv_program"]


class Record(BaseModel):
    """Base of every table row: immutable, no unknown fields, validated on construction.

    Records are shared (a table is read once per process), so nothing a caller receives may change what a
    later caller gets: fields are frozen, list fields are tuples, and `model_fields_set` is a copy.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    @property
    def model_fields_set(self) -> set[str]:
        """The fields set explicitly at construction: a copy, so that changing it changes no record."""
        return set(self.__pydantic_fields_set__)


def _whole_span(record: Record, name: str) -> None:
    """An optional span is null as a whole or not at all: its text, start and end go together."""
    values = [getattr(record, n) for n in (name, f"{name}_start", f"{name}_end")]
    if None in values and any(v is not None for v in values):
        raise ValueError(f"{name}, {name}_start and {name}_end are null together or not at all")


class Evidence(Record):
    """An exact span of an article that supports a value: ``article.text[start:end] == text``."""

    article_id: ArticleId = Field(description="The article the span is in.")
    start: Offset = Field(description="Start of the span (code point index into the article text).")
    end: Offset = Field(description="End of the span, exclusive.")
    text: NonEmpty = Field(description="The spanned text, verbatim.")


class RoleReport(Evidence):
    """A role (job, function) that an article states for a person, with the words that state it."""

    role: NonEmpty = Field(description="The role, lower case, as the article words it (e.g. 'assistant director').")


class AgeReport(Evidence):
    """An age an article reports for a person; ages are per article, not reconciled."""

    age: Annotated[int, Field(ge=0, le=130)] = Field(description="The age in years, as reported.")


class Affiliation(Evidence):
    """A stated relation of a person to another person or an organisation."""

    target_id: EntityId = Field(description="The person or organisation related to.")
    relation: NonEmpty = Field(description="The relation, e.g. 'attorney of', 'spokesman of', 'brother of'.")


class Participant(Record):
    """An entity taking part in an event, with its role (ACE 2005 argument roles where one fits)."""

    entity_id: EntityId = Field(description="The participating person, organisation, place or work.")
    role: ParticipantRole = Field(description="The entity's role in the event.")


class EventReport(Evidence):
    """One article's report of an event, with whether the reporter commits to it (FactBank-style)."""

    factuality: Factuality = Field(
        description="'asserted': the article states the event as fact; "
        "'attributed': the article reports it as someone's account."
    )
    source_id: HolderId | None = Field(
        description="Whose account it is when attributed (a person or organisation); null when asserted."
    )


class Position(Evidence):
    """One holder's stance on a claim in one article, with the evidence span."""

    holder_id: HolderId = Field(
        description="Who takes the position: a person, an organisation, or an article id for the article's own voice."
    )
    stance: Stance = Field(
        description="'asserts' the claim is true, 'corroborates' someone else's assertion, "
        "'disputes' it, 'alleges' it (asserts without the reporter's endorsement), or is reported as addressing "
        "it without taking a side ('neutral': 'did not confirm')."
    )
    quote_id: QuoteId | None = Field(description="The quote row carrying this position, when there is one.")


class Article(Record):
    """One of the five source articles, its verbatim text and what is known of where it came from."""

    article_id: ArticleId = Field(description="Stable identifier, 'art-' and the file's three-digit prefix.")
    source_file: NonEmpty = Field(description="The original file name of the collected text.")
    outlet: NonEmpty | None = Field(description="The publishing outlet; null when no source confirms it.")
    outlet_basis: NonEmpty = Field(description="What supports `outlet`, or why it is null.")
    headline: NonEmpty | None = Field(description="The headline as it stands in the text; null when the text has none.")
    headline_start: Offset | None = Field(description="Start of the headline span in `text`; null with `headline`.")
    headline_end: Offset | None = Field(description="End of the headline span in `text`; null with `headline`.")
    headline_basis: NonEmpty = Field(description="Where the headline stands in the text, or why it is null.")
    body_start: Offset = Field(
        description="Where the article body starts in `text`, past collection lines and boilerplate."
    )
    published: datetime.date | None = Field(description="Publication date; null when no source confirms it.")
    published_basis: NonEmpty = Field(description="What supports `published`, or why it is null.")
    source_url: NonEmpty | None = Field(
        description="A public page that confirms the article (a citation); null when none was found."
    )
    source_url_basis: NonEmpty = Field(description="What the address shows, or why it is null.")
    text: NonEmpty = Field(description="The file's content, verbatim (UTF-8, nothing cleaned).")
    text_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="SHA-256 of `text` encoded as UTF-8, hex."
    )

    @model_validator(mode="after")
    def _headline_whole(self) -> Article:
        _whole_span(self, "headline")
        return self


class Person(Record):
    """A person the articles name or describe; unnamed people ('the prop master') get a descriptive record."""

    person_id: PersonId = Field(description="Stable identifier, 'per-' and a slug of the name or description.")
    name: NonEmpty = Field(description="Full name as the articles give it, or a description for an unnamed person.")
    named: bool = Field(description="False for a person the articles describe but never name.")
    aliases: tuple[NonEmpty, ...] = Field(
        description="Every other way the articles write the name, as written, sorted."
    )
    roles: tuple[NonEmpty, ...] = Field(description="The distinct roles of `role_reports`, sorted.")
    role_reports: tuple[RoleReport, ...] = Field(description="Each statement of a role, per article, with its span.")
    ages: tuple[AgeReport, ...] = Field(description="Each age as reported, per article, with its span.")
    affiliations: tuple[Affiliation, ...] = Field(description="Stated relations to other people or organisations.")
    description: NonEmpty = Field(description="One sentence on who this is, from the articles.")
    note: NonEmpty | None = Field(description="Curation note on a judgement call; null when there is none.")


class Organization(Record):
    """An organisation the articles name (outlets, broadcasters, agencies)."""

    organization_id: OrganizationId = Field(description="Stable identifier, 'org-' and a slug of the name.")
    name: NonEmpty = Field(description="The organisation's name as the articles give it.")
    aliases: tuple[NonEmpty, ...] = Field(description="Other names as written in the articles, sorted.")
    organization_type: OrganizationType = Field(description="What kind of organisation it is.")
    parent_id: OrganizationId | None = Field(
        description="The organisation it is part of, when the articles make that plain."
    )
    description: NonEmpty = Field(description="One sentence on what it is, from the articles.")
    note: NonEmpty | None = Field(description="Curation note; null when there is none.")


class Place(Record):
    """A place the articles name."""

    place_id: PlaceId = Field(description="Stable identifier, 'plc-' and a slug of the name.")
    name: NonEmpty = Field(description="The place's name as the articles give it.")
    aliases: tuple[NonEmpty, ...] = Field(description="Other names as written in the articles, sorted.")
    place_type: PlaceType = Field(description="What kind of place it is.")
    within_id: PlaceId | None = Field(description="The place that contains it, when the articles say so.")
    note: NonEmpty | None = Field(description="Curation note; null when there is none.")


class Work(Record):
    """A film or television programme the articles name ('Rust', 'Good Morning America')."""

    work_id: WorkId = Field(description="Stable identifier, 'wrk-' and a slug of the title.")
    name: NonEmpty = Field(description="The title.")
    aliases: tuple[NonEmpty, ...] = Field(description="Other titles as written, sorted.")
    work_type: WorkType = Field(description="What kind of work it is.")
    description: NonEmpty = Field(description="One sentence on what it is, from the articles.")
    note: NonEmpty | None = Field(description="Curation note; null when there is none.")


class Quote(Record):
    """One occurrence of attributed speech, thought or assertion in one article (PARC 3.0 style)."""

    quote_id: QuoteId = Field(
        description="Stable identifier: 'quo-', the article number, a sequence number in text order."
    )
    article_id: ArticleId = Field(description="The article the quote occurs in.")
    speaker_id: SpeakerId = Field(
        description="Who is quoted: a person or an organisation; of several named jointly, the first named."
    )
    co_speaker_ids: tuple[SpeakerId, ...] = Field(
        description="The others a joint attribution names ('Mendoza and Carmack-Altwies said'), in text order."
    )
    kind: QuoteKind = Field(
        description="'direct': a passage in quotation marks; 'partial': a quoted fragment in the reporter's "
        "sentence; 'nested': quoted words inside another quote; 'indirect': reported content without "
        "quotation marks; 'mixed': a paraphrase that contains a quoted fragment."
    )
    start: Offset = Field(description="Start of the quoted content (inside the quotation marks).")
    end: Offset = Field(description="End of the quoted content, exclusive.")
    text: NonEmpty = Field(description="The content, verbatim: article.text[start:end].")
    cue: NonEmpty | None = Field(
        description="The reporting verb or cue as written ('said', 'told'); null when there is none."
    )
    cue_start: Offset | None = Field(description="Start of the cue span; null with `cue`.")
    cue_end: Offset | None = Field(description="End of the cue span; null with `cue`.")
    addressee_id: EntityId | None = Field(description="To whom it was said, when the article states it.")
    medium: Medium = Field(description="How it was said: the channel, when the article makes it known.")
    parent_quote_id: QuoteId | None = Field(
        description="For a nested quote, the quote it sits in; for a partial quote inside a mixed one, that one."
    )
    continues_quote_id: QuoteId | None = Field(
        description="When one quotation is split by an attribution ('he said'), the previous segment."
    )
    utterance_id: UtteranceId | None = Field(description="The utterance these words report, when outlets share them.")
    utterance_relation: UtteranceRelation | None = Field(
        description="How `text` relates to the utterance's canonical wording; null without `utterance_id`."
    )
    note: NonEmpty | None = Field(description="Curation note on a judgement call; null when there is none.")

    @model_validator(mode="after")
    def _cue_whole(self) -> Quote:
        _whole_span(self, "cue")
        return self


class Utterance(Record):
    """The same spoken words reported by one or more outlets (Quotebank / MemeTracker style)."""

    utterance_id: UtteranceId = Field(description="Stable identifier.")
    speaker_id: SpeakerId = Field(description="Who said it.")
    canonical_quote_id: QuoteId = Field(description="The quote whose wording is taken as canonical (the fullest).")
    canonical_text: NonEmpty = Field(description="The canonical wording, verbatim from `canonical_quote_id`.")
    note: NonEmpty | None = Field(description="Curation note; null when there is none.")


class Event(Record):
    """A real-world event the articles report, with its date, participants and every report of it."""

    event_id: EventId = Field(description="Stable identifier, 'evt-' and a slug.")
    event_type: EventType = Field(description="What kind of event it is.")
    ace_type: AceType | None = Field(description="The ACE 2005 event type and subtype, where one fits.")
    description: NonEmpty = Field(description="One neutral sentence describing the event.")
    date: IsoDatePrefix | None = Field(
        description="ISO 8601 date or prefix ('2021-10-21', '2021-10'); null when unknown."
    )
    date_precision: DatePrecision = Field(description="How much of `date` is known.")
    date_basis: DateBasis = Field(
        description="'stated' in an article, 'resolved' from a relative expression ('Thursday') against the "
        "article date, 'inferred' from the dates of related events (reasoning in `date_note`), 'external' from "
        "a source cited in `date_note`, or 'unknown'."
    )
    date_evidence: tuple[Evidence, ...] = Field(description="The words the date was stated in or resolved from.")
    date_note: NonEmpty | None = Field(description="How the date was established, when not plain from the evidence.")
    place_id: PlaceId | None = Field(description="Where it happened, when the articles say.")
    participants: tuple[Participant, ...] = Field(description="Who took part, with roles.")
    reports: tuple[EventReport, ...] = Field(description="Every article passage that reports the event.")
    note: NonEmpty | None = Field(description="Curation note; null when there is none.")


class Claim(Record):
    """A contested assertion and every position taken on it (Emergent / FEVER style)."""

    claim_id: ClaimId = Field(description="Stable identifier, 'clm-' and a slug.")
    statement: NonEmpty = Field(description="The claim as a neutral declarative sentence.")
    positions: tuple[Position, ...] = Field(description="Every position taken on the claim, with evidence.")
    note: NonEmpty | None = Field(description="Curation note; null when there is none.")


class Mention(Record):
    """A mention of a person, organisation, place or work in an article (ACE 2005: names and nominals)."""

    mention_id: MentionId = Field(description="Stable identifier: 'men-', the article number, a sequence number.")
    article_id: ArticleId = Field(description="The article the mention is in.")
    entity_id: EntityId = Field(description="The entity mentioned.")
    mention_type: MentionType = Field(description="'name' (a proper name) or 'nominal' (a description: 'the actor').")
    start: Offset = Field(description="Start of the mention.")
    end: Offset = Field(description="End of the mention, exclusive.")
    text: NonEmpty = Field(description="The mention as written.")


class _Table(NamedTuple):
    model: type[Record]
    key: str


_MODELS: dict[str, type[Record]] = {
    "articles": Article,
    "people": Person,
    "organizations": Organization,
    "places": Place,
    "works": Work,
    "quotes": Quote,
    "utterances": Utterance,
    "events": Event,
    "claims": Claim,
    "mentions": Mention,
}
TABLES: Mapping[str, _Table] = MappingProxyType({name: _Table(_MODELS[name], key) for name, key in TABLE_KEYS.items()})
"""Every table: its record model and primary-key field, in dependency order."""
