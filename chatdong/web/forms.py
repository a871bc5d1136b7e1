"""Turning form and service errors into what a view shows: one set of helpers for every app."""

from django.core.exceptions import ValidationError
from django.forms import Form


def form_errors(form: Form) -> str:
    """All of a bound form's errors as one line (for a flash message or an htmx fragment)."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def error_text(exc: ValidationError) -> str:
    """A service's ValidationError as one line, field errors included."""
    return " ".join(exc.messages)


def add_service_errors(form: Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
