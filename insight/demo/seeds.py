"""Story seed examples a researcher would confirm: six per taxonomy tag, plus non-stories.

Written by hand, not from the generator's templates, so a tagger trained on these is
tested on stories it has not seen the wording of. Non-stories carry an empty tag list:
they show what to leave untagged (thanks, questions, announcements).
"""

from __future__ import annotations

SEEDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("I was completely lost setting up my first container. Mateo spent two evenings on a call with me, "
     "explained every line of the compose file, and last Friday my app went live.", ("mentor_guidance",)),
    ("As a bootcamp grad I didn't know where to start. An experienced member adopted me, reviewed my pull "
     "requests for a month, and now I maintain our team's pipeline.", ("mentor_guidance",)),
    ("Shoutout to the mentor circle: they matched me with a senior engineer who guided me through my first "
     "production release. I went from nervous newbie to shipping in five weeks.", ("mentor_guidance",)),
    ("Three months ago I couldn't read a stack trace. Thanks to a patient regular here who checked in every "
     "week, I just onboarded our new intern myself.", ("mentor_guidance",)),
    ("My first week I asked very basic questions. Fatima took me under her wing, pointed me to the right "
     "guides and reviewed my setup. I activated our whole workspace a week later.", ("mentor_guidance",)),
    ("New here and was about to give up on self-hosting. A long-time member walked me through it on a video "
     "call, and my first deploy actually worked.", ("mentor_guidance",)),
    ("Our payment integration broke the night before launch. Someone here had the answer in twenty minutes, "
     "we went live on schedule and signed the customer.", ("peer_answer_saved_deal",)),
    ("We were about to lose a pilot with a logistics company over an SSO error. A member's reply pointed at "
     "the certificate, we fixed it before the call and won the contract.", ("peer_answer_saved_deal",)),
    ("A stranger's answer in the help channel saved our product launch: the rate-limit trick they described "
     "let us onboard ten thousand users on day one.", ("peer_answer_saved_deal",)),
    ("The investor demo was in three hours and the deploy kept failing. A peer answer about the probe timeout "
     "got us running with time to spare. We closed the round.", ("peer_answer_saved_deal",)),
    ("Procurement nearly blocked the deal because exports lacked a field. Another customer here shared their "
     "workaround, the buyer was happy and the renewal went through.", ("peer_answer_saved_deal",)),
    ("Huge thanks to whoever answered my webhook question at 2am. That reply kept our biggest client, who "
     "was ready to cancel.", ("peer_answer_saved_deal",)),
    ("Five of us spent a weekend comparing logs in one thread until we found the timezone bug. The maintainers "
     "merged the fix on Monday.", ("bug_fixed_together",)),
    ("A member wrote a minimal reproduction, another found the faulty retry logic, and staff released a patch "
     "two days later. Report to fix as a community.", ("bug_fixed_together",)),
    ("The crash on Android had bugged us for months. Together we narrowed it down to one font setting, and "
     "the fix landed in the next release.", ("bug_fixed_together",)),
    ("I reported the broken pagination, others confirmed it with their data, one person found the off-by-one "
     "and the team shipped it within the week.", ("bug_fixed_together",)),
    ("Nobody could explain the memory leak until a few of us pooled heap dumps here. The root cause was in "
     "the indexer, and the patch is out now.", ("bug_fixed_together",)),
    ("Collaborative debugging at its best: shared test workspace, bisect by a volunteer, fix reviewed by the "
     "core team, everyone credited in the changelog.", ("bug_fixed_together",)),
    ("At the Lisbon meetup I met another developer working on the same integration. We now maintain the "
     "open-source connector together.", ("event_collaboration",)),
    ("The community call paired me with someone from a nonprofit in a breakout room; we've co-written two "
     "guides since.", ("event_collaboration",)),
    ("Went to the workshop alone, left with a project partner. Our joint plugin has four hundred installs "
     "now.", ("event_collaboration",)),
    ("I gave a lightning talk at the hack night and the person who asked the first question became my "
     "co-founder.", ("event_collaboration",)),
    ("We started chatting in the queue for coffee at the conference, and a month later our teams ran a "
     "joint pilot.", ("event_collaboration",)),
    ("The online office hours introduced me to two people with the same problem; we formed a working group "
     "that still meets every other week.", ("event_collaboration",)),
    ("Thanks, that fixed it!", ()),
    ("How do I change the email address on my account?", ()),
    ("Release 3.2 is out with faster search and webhook replay.", ()),
    ("Welcome to the community! Check out the getting-started guide.", ()),
    ("Our staging cluster is slow again today, anyone else?", ()),
    ("The meetup starts at 6 pm, doors open at 5:30.", ()),
)


def seed_rows() -> list[dict[str, object]]:
    """The seeds as canonical ``{"text", "tags"}`` rows."""
    return [{"text": text, "tags": list(tags)} for text, tags in SEEDS]
