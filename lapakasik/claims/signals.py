"""What other apps may want to hear about a claim, without claims importing them (no import circle).

booking builds on claims (a booking holds a claim); when a claim is returned for documents, booking decides
what happens to its future booking (booking/apps.py connects the receiver). Sent inside the returning
transaction: a receiver's writes commit or roll back with the return.
"""

from __future__ import annotations

from django.dispatch import Signal

# sender=Claim, claim=<Claim>, by=<User>, note=<the officer's reason>
claim_returned = Signal()
