"""Surveys that run themselves: waves open, deliver, remind, close and post a digest.

Every step writes its state before its side effect and is guarded by a database
constraint or a compare-and-set, so a restarted process or several replicas running
the same step produce one effect.
"""

from bot.waves.closing import close_due, close_wave
from bot.waves.context import Reach, WaveDeps
from bot.waves.delivery import DeliveryReport, deliver_due
from bot.waves.digest import post_digest
from bot.waves.opening import Opened, open_wave
from bot.waves.reminders import send_reminders

__all__ = [
    "DeliveryReport",
    "Opened",
    "Reach",
    "WaveDeps",
    "close_due",
    "close_wave",
    "deliver_due",
    "open_wave",
    "post_digest",
    "send_reminders",
]
