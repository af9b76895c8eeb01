"""The organisers' form builder: an event's custom fields (every kind, choice
options with their limits), its categories with quotas, the consent and
waiting-list policies, and a preview of the public form exactly as
participants see it. Each change goes through the API's schemas and the same
use cases (form_admin, policies), so it raises the form's revision as the
API does. The window, approval and capacity are the event's (scheduling):
shown here, changed on its edit page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError, NotFound
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ... import form_admin, organiser, policies
from ...models import FIELD_KINDS, PROMOTION_MODES, Category, FormField, Listing
from ..context import config
from ..presenters import form_view
from ..schemas.organiser import CategoriesIn, FormIn, PoliciesIn

bp = html_errors(Blueprint("organiser_form", __name__, url_prefix="/organiser/events/<slug>/form"))
CHOICE_KINDS = form_admin.CHOICE_KINDS
TAKEN_KEY = "another field of this form already has this key"
TAKEN_CODE = "another category already has this code"


@bp.get("")
@organiser_required
def overview(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        fields = form_admin.fields_of(session, listing)
        categories = form_admin.categories_of(session, listing)
    return _overview_page(listing, fields, categories, {}, {}, 200)


def _overview_page(listing: Listing, fields, categories, form, errors: dict, status: int):
    return render_template(
        "organiser/form_builder.html",
        listing=listing,
        fields=fields,
        categories=categories,
        policies=policies.policies_of(listing),
        promotion_modes=PROMOTION_MODES,
        form=form,
        errors=errors,
        section="form",
    ), status


# --- custom fields -------------------------------------------------------------


@bp.route("/fields/new", methods=["GET", "POST"], defaults={"key": None})
@bp.route("/fields/<key>", methods=["GET", "POST"])
@organiser_required
def field(staff, slug, key):
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            with transaction() as session:
                listing = organiser.listing_for(session, staff, slug, for_update=True)
                definitions = [_field_definition(f) for f in form_admin.fields_of(session, listing)]
                posted = _posted_field(key, definitions)
                if key is None and any(d["key"] == posted["key"] for d in definitions):
                    raise ValidationError({"key": [TAKEN_KEY]})
                index = _replace(definitions, "key", key, posted)
                form_admin.define_fields(session, listing, _load_fields(definitions, index))
                revision = listing.form_revision
            flash(translate("Campo salvato: il modulo è alla versione %(n)s.", n=revision))
            return redirect(url_for(".overview", slug=slug), code=303)
        except (ValidationError, DomainError) as exc:
            errors = _field_errors(exc)
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        existing = _field_named(session, listing, key) if key else None
    form = request.form if request.method == "POST" else _field_form(existing)
    return render_template(
        "organiser/form_field.html",
        listing=listing,
        existing=existing,
        kinds=FIELD_KINDS,
        choice_kinds=CHOICE_KINDS,
        form=form,
        errors=errors,
        section="form",
    ), 422 if errors else 200


@bp.post("/fields/<key>/remove")
@organiser_required
def remove_field(staff, slug, key):
    """Retire the field: its answers stay in the lists and exports."""
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug, for_update=True)
        _field_named(session, listing, key)
        kept = [_field_definition(f) for f in form_admin.fields_of(session, listing) if f.key != key]
        form_admin.define_fields(session, listing, _load_fields(kept, None))
    flash(translate("Campo tolto dal modulo; le risposte già date restano nelle esportazioni."))
    return redirect(url_for(".overview", slug=slug), code=303)


def _field_named(session, listing: Listing, key: str) -> FormField:
    found = next((f for f in form_admin.fields_of(session, listing) if f.key == key), None)
    if found is None:
        raise NotFound("no such field in this form", field="key")
    return found


def _field_definition(field: FormField) -> dict:
    """A stored field as the API's input (FormIn), to send it back unchanged."""
    return {
        "key": field.key,
        "kind": field.kind,
        "label": {"it": field.label_it, "en": field.label_en},
        "required": field.required,
        "max_length": field.max_length,
        "min_value": field.min_value,
        "max_value": field.max_value,
        "options": [
            {"key": o.key, "label": {"it": o.label_it, "en": o.label_en}, "limit": o.limit}
            for o in field.options
            if not o.retired
        ],
    }


def _field_form(field: FormField | None) -> dict:
    """The inputs of the field page, filled from a stored field."""
    if field is None:
        return {"kind": "text"}
    lines = [
        " | ".join([o.key, o.label_it, o.label_en or "", "" if o.limit is None else str(o.limit)]).rstrip(" |")
        for o in field.options
        if not o.retired
    ]
    return {
        "key": field.key,
        "kind": field.kind,
        "label_it": field.label_it,
        "label_en": field.label_en or "",
        "required": "on" if field.required else "",
        "max_length": "" if field.max_length is None else str(field.max_length),
        "min_value": "" if field.min_value is None else f"{field.min_value:g}",
        "max_value": "" if field.max_value is None else f"{field.max_value:g}",
        "options": "\n".join(lines),
    }


def _posted_field(key: str | None, definitions: list[dict]) -> dict:
    """The posted field as the API's input; an existing field keeps its key and kind."""
    form = request.form
    current = next((d for d in definitions if d["key"] == key), None) if key else None
    value: dict[str, object] = {
        "key": key if current else _text("key") or "",
        "kind": current["kind"] if current else form.get("kind", ""),
        "label": {"it": _text("label_it") or "", "en": _text("label_en")},
        "required": "required" in form,
        "options": _options(form.get("options", "")),
    }
    for name in ("max_length", "min_value", "max_value"):
        if _text(name) is not None:
            value[name] = _text(name)
    return value


def _options(text: str) -> list[dict]:
    """One option a line: `key | Italian label | English label | limit` (the last two may be left out)."""
    options = []
    for number, line in enumerate((line for line in text.splitlines() if line.strip()), start=1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 4 or len(parts) < 2:
            raise ValidationError({"options": [f"line {number}: write key | Italian label | English label | limit"]})
        key, label_it, label_en, limit = (parts + ["", ""])[:4]
        option: dict[str, object] = {"key": key, "label": {"it": label_it, "en": label_en or None}}
        if limit:
            option["limit"] = limit
        options.append(option)
    return options


def _load_fields(definitions: list[dict], index: int | None) -> list[dict]:
    """The whole form through the API's schema; the errors of the changed field keep their names."""
    try:
        return FormIn().load({"fields": definitions})["form_fields"]
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {}
        mine = (messages.get("fields") or {}).get(index) if index is not None else None
        raise ValidationError(mine or {"form": ["the form's other fields do not fit: " + str(messages)]}) from exc


def _field_errors(exc: Exception) -> dict[str, str]:
    """API names to the page's inputs: every option's error is the options box's."""
    errors: dict[str, str] = {}
    for name, message in errors_of(exc, {"fields": "form"}).items():
        errors.setdefault("options" if name.startswith("options") else name, message)
    return errors


# --- categories ----------------------------------------------------------------


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"code": None})
@bp.route("/categories/<code>", methods=["GET", "POST"])
@organiser_required
def category(staff, slug, code):
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            with transaction() as session:
                listing = organiser.listing_for(session, staff, slug)  # locked after the seat gate
                definitions = [_category_definition(c) for c in form_admin.categories_of(session, listing)]
                posted = {
                    "code": code or _text("code") or "",
                    "label": {"it": _text("label_it") or "", "en": _text("label_en")},
                    **({"quota": _text("quota")} if _text("quota") is not None else {}),
                }
                if code is None and any(d["code"] == posted["code"] for d in definitions):
                    raise ValidationError({"code": [TAKEN_CODE]})
                index = _replace(definitions, "code", code, posted)
                body = _load_categories(definitions, index)
                form_admin.define_categories(session, listing, body, base_url=config().public_base_url)
                revision = listing.form_revision
            flash(translate("Categoria salvata: il modulo è alla versione %(n)s.", n=revision))
            return redirect(url_for(".overview", slug=slug), code=303)
        except (ValidationError, DomainError) as exc:
            errors = errors_of(exc, {"categories": "form"})
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        existing = _category_named(session, listing, code) if code else None
    form = request.form if request.method == "POST" else _category_form(existing)
    return render_template(
        "organiser/form_category.html", listing=listing, existing=existing, form=form, errors=errors, section="form"
    ), (422 if errors else 200)


@bp.post("/categories/<code>/remove")
@organiser_required
def remove_category(staff, slug, code):
    """Only a category nobody registered in can go (409 otherwise, shown on the page)."""
    try:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            _category_named(session, listing, code)
            kept = [_category_definition(c) for c in form_admin.categories_of(session, listing) if c.code != code]
            body = _load_categories(kept, None)
            form_admin.define_categories(session, listing, body, base_url=config().public_base_url)
    except DomainError as exc:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            fields, categories = form_admin.fields_of(session, listing), form_admin.categories_of(session, listing)
        return _overview_page(listing, fields, categories, {}, errors_of(exc, {"categories": "categories"}), exc.status)
    flash(translate("Categoria tolta."))
    return redirect(url_for(".overview", slug=slug), code=303)


def _category_named(session, listing: Listing, code: str) -> Category:
    found = next((c for c in form_admin.categories_of(session, listing) if c.code == code), None)
    if found is None:
        raise NotFound("no such category for this event", field="code")
    return found


def _category_definition(category: Category) -> dict:
    return {
        "code": category.code,
        "label": {"it": category.label_it, "en": category.label_en},
        "quota": category.quota,
    }


def _category_form(category: Category | None) -> dict:
    if category is None:
        return {}
    return {
        "code": category.code,
        "label_it": category.label_it,
        "label_en": category.label_en or "",
        "quota": "" if category.quota is None else str(category.quota),
    }


def _load_categories(definitions: list[dict], index: int | None) -> list[dict]:
    try:
        return CategoriesIn().load({"categories": definitions})["categories"]
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {}
        mine = (messages.get("categories") or {}).get(index) if index is not None else None
        raise ValidationError(mine or {"form": ["the other categories do not fit: " + str(messages)]}) from exc


# --- policies and preview ------------------------------------------------------


@bp.post("/policies")
@organiser_required
def save_policies(staff, slug):
    """Consent and the waiting list's promotion (the privacy notice itself has its own page)."""
    form = request.form
    changes = {
        "consent_required": "consent_required" in form,
        "promotion_mode": form.get("promotion_mode", ""),
        "offer_hours": form.get("offer_hours", ""),
    }
    try:
        body = PoliciesIn().load(changes)
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug, for_update=True)
            policies.update_policies(session, listing, body)
    except (ValidationError, DomainError) as exc:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            fields, categories = form_admin.fields_of(session, listing), form_admin.categories_of(session, listing)
        return _overview_page(listing, fields, categories, form, errors_of(exc), _status(exc))
    flash(translate("Impostazioni dell'iscrizione salvate."))
    return redirect(url_for(".overview", slug=slug), code=303)


@bp.route("/preview", methods=["GET", "POST"])
@organiser_required
def preview(staff, slug):
    """The public form's own template with a banner; a POST (its button) saves nothing."""
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        definition = form_view(session, listing)
    return render_template(
        "organiser/form_preview.html",
        listing=listing,
        definition=definition,
        form=request.form,
        errors={},
        tried=request.method == "POST",
    )


def _replace(definitions: list[dict], name: str, old: str | None, new: dict) -> int:
    """Put `new` where the definition called `old` is (at the end when new); its index."""
    for index, definition in enumerate(definitions):
        if old is not None and definition[name] == old:
            definitions[index] = new
            return index
    definitions.append(new)
    return len(definitions) - 1


def _text(name: str) -> str | None:
    return (request.form.get(name) or "").strip() or None


def _status(exc: Exception) -> int:
    return exc.status if isinstance(exc, DomainError) else 422
