"""Cheap language identification from function words.

Why function words: they make up a third to a half of any running text in the languages they belong
to, they are nearly disjoint between languages, and counting them costs one set lookup per word, so
identification runs at cleaning speed without a statistical model. The same lists give the cleaner its
"stopword density", the strongest single sign that a line is prose rather than a menu item.

Each list holds only very frequent, unambiguous function words of its language (general knowledge,
not taken from any page).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable


def word_set(text: str) -> frozenset[str]:
    """A word set written as one string: lists of words read better than lists of quoted words."""
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": word_set(
        """the of and to a in is that for it as was with be by on not he i this are or his from at
        which but have an they you were her she there been their one all would will we its has
        had more when who also after into than them these could about said says other over our
        can what some if no do so up out then those only new two did should while where him my
        your because being such before between during through under against"""
    ),
    "fr": word_set(
        """le la les de des du un une et est en que qui dans pour pas sur au aux avec ce ces il elle
        ils elles sont ont par plus ne se son sa ses leur leurs nous vous mais ou été être fait
        comme tout cette aussi a été entre depuis sans sous lors dont"""
    ),
    "de": word_set(
        """der die das und ist nicht ein eine einen einem einer zu den dem des mit sich auf für im
        von auch es als an sie wird werden hat haben sind war wurde bei nach aus noch wie um oder
        aber nur über vor wir ich er ihr ihre durch dass kann man"""
    ),
    "es": word_set(
        """el la los las de del y que en un una es por con para no se su sus al lo como más pero
        este esta fue son ha han sido sobre entre también desde hasta cuando muy sin porque ya
        donde está"""
    ),
    "it": word_set(
        """il lo la gli le di del della dei delle e che è in un una per con non si da al alla dal
        nel nella sono ha anche come più ma questo questa stato essere loro tra fra se cui dopo
        ancora"""
    ),
    "pt": word_set(
        """o a os as de do da dos das e que em um uma para com não por se mais ao aos na no nas nos
        como mas foi são é ser está seu sua seus suas pelo pela também entre quando muito já sem
        isso ele ela"""
    ),
    "nl": word_set(
        """de het een en van in is dat op te zijn met voor niet aan er om ook als bij door maar
        worden wordt werd naar dan nog uit was heeft hebben deze die dit zich kan over tot"""
    ),
    "sv": word_set(
        """och att det som en på är av för med till den har de inte om ett han men var jag sig från
        vi så kan när efter eller också mot under hade blev skulle"""
    ),
    "id": word_set(
        """yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada oleh
        mereka kami kita saya atau bisa sudah telah adalah sebagai lebih tersebut bahwa harus
        seperti jika kalau tapi tetapi namun agar supaya hingga sampai saat jadi pun lagi masih
        hanya semua para dia ia kamu anda apa siapa bagaimana mengapa sangat sekali belum maka
        sehingga setelah sebelum antara"""
    ),
    "pl": word_set(
        """i w na z się nie do że to jest o jak po od za przez ale jego tym co dla oraz czy już
        także może był była było są być które który która"""
    ),
    "tr": word_set(
        """ve bir bu da de için ile olarak daha çok gibi ama en olan sonra kadar değil ise veya her
        şey ancak göre olduğu"""
    ),
    "ru": word_set(
        """и в не на что с по как это он она они к из у за от о для но так же все его ее их был была
        были быть который которые также или только уже при если чтобы а то да вы мы я бы ли еще
        есть может можно нет когда где там тут после до без через под над между более очень
        каждый раз"""
    ),
}

ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())

# Runs of word characters: digits count as words too (cheaper to find, and a line of numbers is
# no more prose than a line of names).
_WORD = re.compile(r"\w+")

# A language must account for this share of the words, and beat the runner-up clearly, to be named.
MIN_SHARE = 0.12
MIN_WORDS = 8


def words_of(text: str) -> list[str]:
    """Lower-cased words, the unit every ratio here counts."""
    return _WORD.findall(text.lower())


def detect_language(texts: Iterable[str]) -> str | None:
    """ISO 639-1 code of the language whose function words dominate `texts`, or None when unsure.

    None is the honest answer for short texts, for languages without a list here and for mixtures
    where no list stands out; callers then use `ALL_STOPWORDS`.
    """
    return detect_language_of_words(words_of(text) for text in texts)


def detect_language_of_words(word_lists: Iterable[list[str]]) -> str | None:
    """`detect_language` for text already split by `words_of`."""
    seen: Counter[str] = Counter()
    for words in word_lists:
        seen.update(words)
    total = seen.total()
    if total < MIN_WORDS:
        return None
    counts = {lang: sum(seen[w] for w in stops if w in seen) for lang, stops in STOPWORDS.items()}
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    if hits / total < MIN_SHARE or hits < 1.25 * runner_up:
        return None
    return best


def stopwords_for(language: str | None) -> frozenset[str]:
    """The function words used to measure prose density: the language's own, or all of them."""
    return STOPWORDS.get(language or "", ALL_STOPWORDS)
