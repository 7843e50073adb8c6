"""A synthetic action week written for these tests: chat, pages (WARC) and truth from one seed.

`week.generate(seed)` builds it in memory, `week.write(folder)` writes the three files the dev
corpus also has (messages.jsonl, pages.warc.gz, truth.json), so the same tests and tools run on
either. Its sites, templates, wording and obfuscations are its own, in eight languages: where the
hub's rules miss one of them the tests name the gap rather than the generator hiding it.
"""
