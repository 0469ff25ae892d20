"""Phrase banks for the community topics: showcase projects, events, introductions, releases."""

from __future__ import annotations

from insight.demo.topics import SocialTopic

SHOWCASE = SocialTopic(
    key="showcase",
    channels=(("showcase", 1),),
    titles=(
        "Show & tell: {project_name}, {project_what}", "I built {project_what}", "Open-sourced {project_name}",
        "Weekend project: {project_what}", "{project_name}: {project_what}",
    ),
    openers=(
        "I built {project_what} using {stack}.",
        "After a few weekends of hacking, {project_name} is live: {project_what}.",
        "Sharing something we use internally: {project_what}, built with {stack}.",
        "Finally cleaned up {project_name} enough to share it. It's {project_what}, written with {stack}.",
    ),
    details=(
        "Repo is public at github.com/example/{repo}.", "Setup is a single `docker compose up`.",
        "It took about {weeks} weeks of evenings.", "Feedback very welcome, especially on the setup docs.",
        "Screenshots are in the README.", "It stays within the API rate limits even on the free plan.",
        "Next I want to add {showcase_next}.",
    ),
    replies=(
        "This is great, nice work!", "Love it. How do you handle {showcase_q}?", "Starred! Does it work with "
                                                                                 "{other_setup}?",
        "Really clean UI.", "Would this scale to a community with {count} members?", "Trying this tonight.",
        "Nice! We hacked something similar, but yours is much more polished.", "Bookmarked for our next sprint.",
        "Neat idea, {showcase_next} would make it perfect for us.",
    ),
    author_replies=(
        "Thanks! For what it's worth, it {showcase_answer}.", "Thank you all for the kind words!",
        "Not yet, but PRs are welcome!", "Glad it's useful!", "Thanks, {showcase_next} is next on my list.",
    ),
    extras=(
        "We run a community of {count} members, so I'll report back.", "Our stack is {stack} too, so this fits.",
        "Would love a write-up of how you built the {showcase_part}.", "Going to demo this to my team on {weekday}.",
        "Happy to help test {showcase_next}.", "Greetings from {city}!", "Tried it on {os}, install was painless.",
    ),
    slots={
        "showcase_part": ("sync engine", "summariser", "dashboard", "setup script", "webhook handling"),
        "project_what": (
            "a Slack bot that summarises unanswered threads", "a community health dashboard",
            "a VS Code extension to search the forum", "a Discord bridge for our channels",
            "a weekly digest email generator", "a plugin that tags posts by language",
            "a CLI to back up a workspace", "a Grafana panel for webhook events",
        ),
        "project_name": ("ThreadLens", "Digestify", "ForumPulse", "Backpack", "Lurkless", "Bridgey", "Tagalong"),
        "stack": ("React and FastAPI", "Next.js and Postgres", "Python and the webhooks API", "Go and SQLite",
                  "Svelte and Supabase", "Rust and the REST API", "Vue and Django"),
        "repo": ("threadlens", "digestify", "forum-pulse", "backpack-cli", "lurkless", "bridgey"),
        "weeks": ("three", "four", "six", "two"),
        "showcase_next": ("a dark theme", "Slack threads", "CSV export", "multi-workspace support",
                          "a hosted version"),
        "other_setup": ("self-hosted installs", "Slack workspaces", "the free plan", "SSO-only workspaces"),
        "showcase_q": ("rate limits", "authentication", "threads with thousands of replies", "private channels",
                       "deleted posts"),
        "showcase_answer": ("backs off on 429s and caches for an hour", "uses a read-only API key",
                            "pages through them lazily", "skips them unless you opt in"),
    },
)

EVENTS = SocialTopic(
    key="events",
    channels=(("announcements", 2), ("general", 3)),
    titles=(
        "{event_kind} in {city} on {event_date}", "Online {event_kind}: {talk_topic}",
        "Slides and recording from the {city} {event_kind}", "Anyone going to the {city} {event_kind}?",
        "Call for speakers: {city} {event_kind}",
    ),
    openers=(
        "Join us for a {event_kind} in {city} on {event_date}: a talk on {talk_topic}, {talk_extra}, plus pizza.",
        "Our next online {event_kind} is about {talk_topic}. Bring your questions!",
        "Slides and the recording from last week's {event_kind} in {city} are up on the events page.",
        "Is anyone else going to the {city} {event_kind}? Would be nice to meet in person.",
        "We're looking for speakers for the {city} {event_kind}; ten-minute lightning talks are welcome.",
    ),
    details=(
        "Doors open at 6 pm, talks start at 6:30.", "RSVP on the events page, space is limited to {cap} people.",
        "The session will be recorded.", "The venue is step-free.", "Talks are in English with live captions.",
        "Remote attendees can join the stream and ask questions in chat.",
    ),
    replies=(
        "Count me in!", "Will there be a recording?", "Signed up, see you there.",
        "Any chance of a {city} meetup soon?",
        "Great talk on {talk_topic}, thanks for sharing the slides!", "Can remote folks join via stream?",
        "I'd love to give a lightning talk on {talk_topic}.", "First {event_kind} for me, looking forward to it.",
    ),
    author_replies=(
        "Yes, the recording goes up within a week.", "The stream link will be posted here on the day.",
        "Great, message me and we'll add you to the lineup.", "Noted, {city} is on the list for next quarter.",
    ),
    extras=(
        "I'm based in {city}, so a {event_kind} nearby is always welcome.",
        "Bringing two colleagues from our {segment_phrase}.", "Would love a deeper session on {talk_topic} next time.",
        "{weekday} evenings work best for me.", "Could the slides on {talk_topic} be shared in advance?",
        "The last {event_kind} in {city} was great.",
    ),
    slots={
        "event_kind": ("meetup", "workshop", "community call", "hack night", "office hours"),
        "talk_extra": ("lightning talks from members", "a Q&A with the product team", "a panel on community metrics",
                       "a newcomer corner"),
        "talk_topic": ("webhooks in production", "running on Kubernetes", "moderation at scale",
                       "community analytics", "onboarding newcomers", "SSO for enterprises"),
        "event_date": ("{weekday} the {day}th",),
        "day": tuple(str(i) for i in range(4, 29, 3)),
        "cap": ("40", "60", "80", "120"),
    },
)

INTRO = SocialTopic(
    key="intro",
    channels=(("general", 1),),
    titles=("Hello from {city}!", "New here: {role} from {city}", "Hi, I'm new here", "Introducing myself",
            "First post: {role} saying hi"),
    openers=(
        "Hi all, I'm a {role} at a {segment_phrase} in {city}.", "Hello! {role_cap} here, just joined after "
                                                                 "{found_via}.",
        "Hey everyone, {role} from {city} checking in.",
    ),
    details=(
        "I'm here to {goal}.", "Looking forward to learning from you all.", "Outside work I {hobby}.",
        "We're evaluating the product for {use_case}.",
    ),
    replies=(
        "Welcome! The {resource} is a great place to start.", "Welcome aboard, greetings from {city}!",
        "Hi and welcome! Feel free to ask anything in the help channel.", "Welcome! Which stack are you on?",
        "Great to have you here. There's a newcomer call every {weekday}.",
        "Welcome! If you're into {intro_area}, the {resource} is worth a look.",
        "Hey, welcome! Always good to see another {role} here.",
        "Good to have you! What brought you here, {intro_area}?",
    ),
    author_replies=("Thanks for the warm welcome!", "Thanks, I'll check out the {resource}.",
                    "Mostly Python and Postgres on our side.", "I'll join the newcomer call, thanks!"),
    extras=(
        "I'm in {city} too!", "Our team runs on {intro_stack} as well.", "The {resource} helped me a lot early on.",
        "Say hi at the newcomer call on {weekday}.", "Ask anything about {intro_area}, happy to help.",
        "Great to see more people from {city} here.", "We're a {segment_phrase} ourselves.",
    ),
    slots={
        "intro_stack": ("Python and Postgres", "Node and React", "Go and Kubernetes", "Rails", "Django"),
        "intro_area": ("SSO", "webhooks", "self-hosting", "exports", "the API"),
        "role": ("backend developer", "community manager", "data analyst", "student", "CTO", "devrel engineer",
                 "product designer", "support lead"),
        "role_cap": ("Backend developer", "Community manager", "Data analyst", "Student", "Support lead"),
        "found_via": ("a talk at a meetup", "a colleague's recommendation", "a blog post", "a search for SSO help"),
        "goal": ("learn how others run their communities", "get our self-hosted setup production-ready",
                 "build an integration for our CRM", "help answer questions once I know my way around"),
        "hobby": ("climb", "bake bread", "play chess badly", "run", "restore old bikes"),
        "use_case": ("our developer community", "customer support deflection", "an internal knowledge base"),
        "resource": ("getting-started guide", "newcomer call", "webhooks course", "deployment guide"),
    },
)

RELEASE = SocialTopic(
    key="release",
    channels=(("announcements", 1),),
    titles=("Release {version}: {release_item}", "What's new in {version}", "{version} is out"),
    openers=("{version} is out with {release_item}.", "We just shipped {version}. Highlights: {release_item} and "
             "{release_item}."),
    details=(
        "Also in this release: {release_item}.", "The full changelog is in the docs.",
        "Self-hosted users can upgrade with the usual Helm chart.", "Thanks to everyone who reported bugs in the beta.",
    ),
    replies=(
        "Great release, {release_item} is exactly what we needed!", "Any breaking changes for self-hosted?",
        "Upgraded without issues.", "Thanks for shipping {release_item} so quickly.",
        "Is {release_item} available on the Pro plan too?",
    ),
    author_replies=("No breaking changes, just run the migrations.", "Glad to hear it!", "Thanks for testing the beta!",
                    "Yes, every plan gets it."),
    extras=(
        "Upgraded our {release_env} on {weekday}, no issues so far.", "{release_item} will save our team hours.",
        "Still hoping for {release_wish}, but this is a great step.", "Running {version} on {os}, smooth.",
    ),
    slots={
        "release_env": ("staging cluster", "production", "self-hosted instance", "test workspace"),
        "release_wish": ("offline mode", "Parquet export", "a Sydney region", "an audit log export"),
        "release_item": ("SCIM group sync", "faster search", "webhook replay", "dark mode on Android",
                         "Parquet exports",
                         "a rate-limit dashboard", "multi-arch Docker images", "passkey login"),
    },
)
