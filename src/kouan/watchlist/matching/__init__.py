"""The watchlist matching core (pure: no database, web or settings): names across Han characters, pinyin,
Wade-Giles, Hong Kong Cantonese, Korean and MRZ spellings; dates of birth in classes; explained hits.

    index = WatchlistIndex(entries=[Entry("e1", ("陳大文",), "1970-05-04", "HKG")], list_version="exit-ban@7")
    index.match([Person("p1", ("CHAN<<TAI<MAN",), "1970-05-04", "HKG")])   # → [Hit(score=1.0, alert=True, ...)]
"""

from kouan.watchlist.matching.compare import Comparison, compare
from kouan.watchlist.matching.index import WatchlistIndex
from kouan.watchlist.matching.model import ALGORITHM, Entry, Hit, Person

__all__ = ["ALGORITHM", "Comparison", "Entry", "Hit", "Person", "WatchlistIndex", "compare"]
