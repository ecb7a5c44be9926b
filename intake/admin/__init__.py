"""Screenings in the admin: the clinician's triage queue, summary, printable view and actions.

The queue (the list) shows only what is safe for every role that may see it: number, a
neutral urgency band ("Priority", "Urgent", "Soon", "Routine"), how long it has waited,
review status and whether it awaits a clinician's acknowledgement (every screening that is
not routine needs one); those who may open a screening see instead the level's label with
the reasons that set it, the linked consultation, and filter by level and by flag.  Opening
a screening (its one-screen summary), printing it and exporting the queue need "view
screening contents" (Clinician, Administrator); everyone else gets 403.  Every opening and
every action is audited.
Acknowledging and moving a screening through review need "triage screening".  Nothing
about a screening is edited or deleted here: clinicians add notes and acknowledgements.

Modules: common (permissions, urgency and consultation in words), filters (the queue's
filters), screenings (queue, summary, print, export, actions), alerts (staff alerts).
"""

from . import alerts, screenings  # noqa: F401 (registers the pages)
