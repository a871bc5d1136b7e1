"""Writing residents. The RRN is only ever stored through `resident_set_rrn`."""

from django.db import transaction

from cases import crypto
from cases.models import Resident


@transaction.atomic
def resident_set_rrn(*, resident: Resident, rrn: str) -> Resident:
    """Store an RRN as ciphertext + blind index + masked form (ARCHITECTURE: privacy)."""
    resident.rrn_ciphertext = crypto.encrypt_rrn(rrn)
    resident.rrn_index = crypto.blind_index(rrn)
    resident.rrn_masked = crypto.mask_rrn(rrn)
    resident.save(update_fields=["rrn_ciphertext", "rrn_index", "rrn_masked", "updated_at"])
    return resident
