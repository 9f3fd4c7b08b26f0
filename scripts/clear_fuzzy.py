"""After `makemessages`: msgmerge guesses translations for new strings from similar old
ones and marks them fuzzy. A guess is worse than nothing (the tests refuse fuzzy entries),
so clear them: their msgstr is emptied and the stale `#|` lines go, leaving the string
untranslated for a person to translate. Prints what still needs translating."""

import sys

import polib


def main(paths: list[str]) -> int:
    for path in paths:
        catalogue = polib.pofile(path)
        for entry in catalogue:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
                entry.previous_msgid = entry.previous_msgid_plural = None
                entry.previous_msgctxt = None
        catalogue.save()
        missing = [e.msgid for e in catalogue.untranslated_entries()]
        print(f"{path}: {len(missing)} strings to translate")
        for msgid in missing:
            print("  " + msgid.replace("\n", "\\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
