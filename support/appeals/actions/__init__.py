"""Writing appeals, one concern per module:

- `registration`: the feedback form's POST and the API's submission, with its idempotent
  replay;
- `citizen`: the citizen's steps (clarify, add, review, escalate, confirm resolved);
- `staff`: the operators' and supervisors' steps (take, assign, answer, clarification,
  extend, close, comment);
- `pending`: files uploaded ahead of the form;
- `notes`: what the system records for staff (a failed delivery, a sender's checks);
- `housekeeping`: the daily run (overdue notices, auto-close, abandoned uploads);
- `common`: what they share (history lines, locks, files in a transaction, e-mails).

Which step is open to whom and when is decided in `support.appeals.lifecycle`; limits and
shared checks live in `support.appeals.rules`. Every action is one transaction; e-mails are
enqueued only after it commits.
"""

from support.appeals.actions.citizen import (
    appeal_add,
    appeal_clarify,
    appeal_confirm_resolved,
    appeal_escalate,
    appeal_request_review,
)
from support.appeals.actions.housekeeping import (
    appeals_close_answered,
    appeals_notify_overdue,
    attachments_pending_cleanup,
)
from support.appeals.actions.notes import appeal_note_add
from support.appeals.actions.pending import attachment_unstash, attachments_stash
from support.appeals.actions.registration import FeedbackSent, appeal_register, feedback_send
from support.appeals.actions.staff import (
    appeal_answer,
    appeal_assign,
    appeal_close,
    appeal_comment,
    appeal_extend,
    appeal_request_clarification,
    appeal_take,
)

__all__ = [
    "FeedbackSent",
    "appeal_add",
    "appeal_answer",
    "appeal_assign",
    "appeal_clarify",
    "appeal_close",
    "appeal_comment",
    "appeal_confirm_resolved",
    "appeal_escalate",
    "appeal_extend",
    "appeal_note_add",
    "appeal_register",
    "appeal_request_clarification",
    "appeal_request_review",
    "appeal_take",
    "appeals_close_answered",
    "appeals_notify_overdue",
    "attachment_unstash",
    "attachments_pending_cleanup",
    "attachments_stash",
    "feedback_send",
]
