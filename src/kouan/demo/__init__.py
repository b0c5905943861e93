"""Demo data: a realistic night of PAXLST arrivals at Beijing Capital in March 2020."""

from kouan.demo.night import DemoMessage, generate_night, write_night

__all__ = ["DemoMessage", "generate_night", "write_night"]
