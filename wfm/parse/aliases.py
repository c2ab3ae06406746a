"""The header and value vocabulary of ACD exports: the spellings that mean one of our columns."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["ANSWERED_WITHIN_HEADER", "CHANNEL_ALIASES", "HISTORY_ALIASES"]

#: Common ACD export headers, normalised (lower case, runs of other characters as ``_``), that
#: mean one of our columns. ``answered_within_<N>s`` is recognised separately.
HISTORY_ALIASES: Mapping[str, tuple[str, ...]] = {
    "interval_start": (
        "interval_start",
        "interval_start_time",
        "interval_begin",
        "interval",
        "start_time",
        "start",
        "datetime",
        "date_time",
        "timestamp",
        "period_start",
        "interval_datetime",
    ),
    "queue": (
        "queue",
        "queue_name",
        "skill",
        "skill_name",
        "split",
        "split_skill",
        "split_skill_name",
        "service",
        "service_type",
        "workgroup",
    ),
    "channel": ("channel", "media_type", "media", "media_channel", "contact_type"),
    "interval_minutes": (
        "interval_minutes",
        "interval_min",
        "interval_length",
        "interval_length_min",
        "interval_length_minutes",
    ),
    "offered": (
        "offered",
        "calls_offered",
        "contacts_offered",
        "interactions_offered",
        "offered_calls",
        "offered_contacts",
        "offered_interactions",
        "volume",
        "calls",
        "contacts",
        "inbound_calls",
    ),
    "answered": (
        "answered",
        "handled",
        "calls_answered",
        "calls_handled",
        "contacts_answered",
        "contacts_handled",
        "interactions_handled",
        "interactions_answered",
        "answered_calls",
        "handled_calls",
        "handled_contacts",
        "acd_calls",
    ),
    "abandoned": (
        "abandoned",
        "abandons",
        "calls_abandoned",
        "contacts_abandoned",
        "interactions_abandoned",
        "abandoned_calls",
        "aban_calls",
    ),
    "answered_within_threshold": (
        "answered_within_threshold",
        "answered_within_sl",
        "answered_in_sl",
        "answered_within_service_level",
        "calls_answered_within_sl",
        "handled_within_sl",
        "within_sl",
    ),
    "handle_time_total_sec": (
        "handle_time_total_sec",
        "handle_time_total",
        "total_handle_time",
        "total_handle_time_sec",
        "total_handle_time_seconds",
        "total_handle_time_s",
        "handle_time_sec_total",
    ),
    "aht_sec": (
        "aht_sec",
        "aht",
        "aht_seconds",
        "aht_s",
        "average_handle_time",
        "average_handle_time_sec",
        "average_handle_time_seconds",
        "avg_handle_time",
        "avg_handle_time_sec",
        "avg_handle_time_seconds",
    ),
    "abandoned_within_threshold": (
        "abandoned_within_threshold",
        "short_abandons",
        "abandoned_short",
        "abandoned_within_sl",
        "short_abandoned_calls",
    ),
    "wait_time_answered_total_sec": (
        "wait_time_answered_total_sec",
        "total_wait_time_answered",
        "total_answer_wait_time",
        "total_answer_wait_time_sec",
        "total_answer_wait_time_seconds",
        "answer_wait_time_total_sec",
        "total_queue_time_answered",
        "total_speed_of_answer",
    ),
    "asa_sec": (
        "asa_sec",
        "asa",
        "asa_seconds",
        "average_speed_of_answer",
        "avg_speed_of_answer",
        "average_speed_of_answer_sec",
    ),
    "staffed_agents": (
        "staffed_agents",
        "staffed",
        "agents_staffed",
        "staffed_positions",
        "avg_staffed",
        "avg_staffed_agents",
        "logged_in_agents",
        "agents_logged_in",
    ),
}
#: An ``answered_within_<N>s`` header (normalised): answered within a threshold of N seconds.
ANSWERED_WITHIN_HEADER = re.compile(
    r"^(?:calls_)?(?:answered|handled)_(?:within|in)_(\d+)_?(?:s|sec|seconds)$"
)

#: Channel spellings seen in exports, lower case, and the channel they mean.
CHANNEL_ALIASES: Mapping[str, str] = {
    "phone": "voice",
    "telephone": "voice",
    "telephony": "voice",
    "call": "voice",
    "calls": "voice",
    "inbound": "voice",
    "webchat": "chat",
    "web_chat": "chat",
    "messaging": "chat",
    "e-mail": "email",
    "e_mail": "email",
    "mail": "email",
    "back_office": "backoffice",
    "back office": "backoffice",
    "back-office": "backoffice",
}
