"""Personal costs: what the treatment costs you beyond the clinic's bill."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import model_validator

from ..errors import Invalid
from .common import Money, StrictModel, Weeks

# Minutes in the chair and in recovery, by modality. IV: about 55 minutes plus
# 15-20 minutes of recovery (public patient account); esketamine: at least two
# hours of observation in a certified office (REMS); IM: about two hours under
# observation after the injection (Zen Psychiatric Services: "approximately 120
# minutes", zenpsychiatric.com/services/intramuscular-ketamine-injection-treatment/;
# another clinic gives 60-90 minutes a session). Others: one hour, no source.
SESSION_MINUTES = {
    "iv-infusion": (55, 20),
    "esketamine": (0, 120),
    "im-injection": (0, 120),
    "oral": (60, 0),
    "at-home": (60, 0),
}
TRAVEL_MINUTES = 60


class PersonalCosts(StrictModel):
    """Rides, time off work and childcare, per session; never mixed with clinic charges."""

    kind: Literal["personal"] | None = None
    ride: Money = Decimal(0)  # a round trip per session: nobody drives home after a session
    hourly_wage: Money = Decimal(0)
    hours_off: Weeks | None = None  # per session; default: session + recovery + travel
    travel_minutes: Weeks = Decimal(TRAVEL_MINUTES)
    childcare: Money = Decimal(0)  # per session

    @model_validator(mode="after")
    def _wage_for_the_hours(self) -> PersonalCosts:
        # Hours off with no wage would be priced at $0 an hour, and said nowhere.
        if self.hours_off is not None and "hourly_wage" not in self.model_fields_set:
            raise Invalid(
                "hours_off is given without hourly_wage, so the time off has no price",
                "give your pay per hour (--hourly-wage, or hourly_wage: in the file; 0 if the"
                " time off is paid leave)",
                key="hours_off",
            )
        return self

    def hours_per_session(self, modality: str) -> Decimal:
        """Return the hours off work one session takes."""
        if self.hours_off is not None:
            return self.hours_off
        session, recovery = SESSION_MINUTES.get(modality, (60, 0))
        return (Decimal(session + recovery) + self.travel_minutes) / 60
