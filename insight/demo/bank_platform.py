"""Phrase banks for the platform help topics: deployment, API and webhooks, performance.

Deployment texts deliberately use developer idioms ("kill the process", "the pod keeps
dying", "nuke the volume") that a safety model must not flag.
"""

from __future__ import annotations

from insight.demo.topics import Issue, SupportTopic

DEPLOY = SupportTopic(
    key="deploy",
    channels=(("help", 8), ("integrations", 2), ("feature-requests", 1)),
    issues=(
        Issue(
            titles=("{deploy_thing} stuck in {deploy_error} on {tool}", "Pod keeps dying after upgrade to {version}"),
            questions=("I'm deploying with {tool} on {cloud} and {deploy_thing} goes into {deploy_error} a few seconds "
                       "after start.",
                       "Since the upgrade the pod keeps dying: {deploy_thing} restarts with {deploy_error} every few "
                       "minutes."),
            details=("Logs only show {deploy_error}, then the container exits with code 137.",
                     "I had to kill the process by hand to get the node back."),
            answers=("Exit code 137 means it was killed for memory; raise the limit with "
                     "`resources.limits.memory: 1Gi`.",
                     "Check `kubectl logs --previous` for {deploy_thing}; the real error is in the crashed container's "
                     "log."),
            solved=("Raising the memory limit fixed it, {deploy_thing} has been up for a day now.",
                    "`--previous` showed a missing env var. Added it and the pod is stable."),
            unsolved=("Raised the limit to 2Gi, still {deploy_error}.", "`--previous` shows nothing useful, sadly."),
            metoo=("Seeing the same {deploy_error} on {tool}.", "Same here on {cloud}, {deploy_thing} restarts "
                                                                "constantly."),
        ),
        Issue(
            titles=("Running on {arch} nodes?", "`exec format error` on {arch}"),
            questions=("Is there an official image for {arch}? On our {arch} nodes the container dies with "
                       "`exec format error`.",),
            details=("We're moving to {arch} instances to save cost.", "Building the image ourselves takes ages."),
            answers=("The {arch} image is published under the `-{arch}` tag; the default tag is amd64 only.",),
            solved=("The `-{arch}` tag was the missing piece. Running on our {arch} nodes now!",),
            unsolved=("The `-{arch}` tag gives me the same `exec format error`.",),
            metoo=("+1, our {arch} nodes have the same problem.", "Same `exec format error` on {arch} here."),
        ),
        Issue(
            titles=("Migration job never finishes on {tool}", "Database migrations during deploys?"),
            questions=("What's the recommended way to run database migrations with {tool}? The migration step hangs "
                       "forever.",),
            details=("We nuked the volume and redeployed from scratch, same result.",
                     "`DATABASE_URL` points at a managed Postgres on {cloud}."),
            answers=("Run migrations as a separate Kubernetes Job before the rollout, not in the web container's "
                     "entrypoint.", "Two replicas are racing for the migration lock; scale to one while it runs."),
            solved=("Moving migrations into a Job worked perfectly, rollouts are clean again.",
                    "It was the lock race. One replica during migrations and it finishes in seconds."),
            unsolved=("The Job hangs the same way as the entrypoint did.",),
            metoo=("Our migration step hangs too.", "Same on {tool}, migrations never finish."),
        ),
        Issue(
            titles=("502 through the ingress after deploy", "Readiness probe fails on {tool}"),
            questions=("When I run `{deploy_snippet}` the web container comes up but returns 502 through the ingress.",
                       "The readiness probe fails and {tool} never routes traffic to the new pods."),
            details=("`kubectl describe` shows the readiness probe timing out before the app finishes booting.",
                     "Restarting {deploy_thing} helps for an hour or so."),
            answers=("Bump the readiness probe's `initialDelaySeconds` to 30; the app warms its cache before it "
                     "listens.",
                     "The ingress targets port 80 but the app listens on 8080; fix `targetPort` in the service."),
            solved=("That was it, the probe was too aggressive. Deploys go through now.",
                    "Fixed the `targetPort`, no more 502s."),
            unsolved=("Probe delay is 60 now, still failing.",),
            metoo=("Same 502 after every deploy.", "+1, the probe fails for us too on {tool}."),
        ),
        Issue(
            titles=("Docker image size keeps growing", "Image went from 300 MB to 1.4 GB"),
            questions=("The Docker image went from 300 MB to 1.4 GB between releases. Is that expected?",),
            details=("We build in CI on {cloud}.", "Our Dockerfile is based on the official example."),
            answers=("The build cache got copied in. Add `.git` and `node_modules` to `.dockerignore`.",
                     "Use a multi-stage build and copy only the built artefacts into the final image."),
            solved=("Added the `.dockerignore` entries and the image is back to 310 MB.",
                    "Multi-stage build done, the image is a fifth of the size."),
            unsolved=("The image is still over a gigabyte.",),
            metoo=("Our image grew a lot too.", "Same bloat on our builds."),
        ),
        Issue(
            titles=("How do you do zero-downtime deploys with {tool}?", "Requests dropped during every rollout"),
            questions=("We want zero-downtime deploys on {tool}; every rollout drops requests for about a minute.",),
            details=("We run three replicas behind the ingress.", "Clients see 503s during the switch."),
            answers=("Set `maxUnavailable: 0` and `maxSurge: 1` in the deployment strategy and add a preStop sleep.",
                     "Add a preStop hook that sleeps 10 seconds, so the load balancer drains before the pod stops."),
            solved=("With the preStop sleep our rollouts drop nothing now.",),
            unsolved=("Still losing requests on rollout.",),
            metoo=("We'd love zero-downtime deploys as well.", "Same 503s during our rollouts."),
        ),
    ),
    details=("I tried `{deploy_snippet}` and it made no difference.", "Same manifest deploys fine on our staging "
                                                                      "cluster on {cloud}."),
    requests=(
        ("official {arch} images", "Please publish multi-arch images so {arch} works without custom builds."),
        ("a maintained Helm chart", "A maintained Helm chart with sane resource defaults would save everyone a lot "
                                    "of trial and error."),
        ("health endpoint for probes", "A dedicated `/healthz` endpoint would make {tool} readiness probes much more "
                                       "reliable."),
    ),
    probes=(
        "Can you paste the output of `kubectl describe pod` for the failing pod?",
        "What resources did you give the container? Most crashes here come down to memory.",
        "Are you on the official image or a custom build?",
    ),
    slots={
        "tool": ("Docker Compose", "Kubernetes", "Helm", "Nomad", "ECS", "k3s"),
        "cloud": ("AWS", "GCP", "Azure", "DigitalOcean", "Hetzner", "Fly.io", "an on-prem cluster"),
        "arch": ("arm64", "amd64"),
        "deploy_error": ("`CrashLoopBackOff`", "`OOMKilled`", "`connection refused on port 8080`",
                         "`no space left on device`", "`x509: certificate signed by unknown authority`"),
        "deploy_snippet": ("docker compose up -d --build", "kubectl rollout restart deployment/web",
                           "helm upgrade --install app ./chart", "kubectl delete pod web-7d9f --force"),
        "deploy_thing": ("the worker pod", "the web container", "the scheduler", "the background worker",
                         "the API pod"),
    },
)

API = SupportTopic(
    key="api",
    channels=(("help", 5), ("integrations", 5), ("feature-requests", 1)),
    issues=(
        Issue(
            titles=("Hitting {api_error} on {api_endpoint}", "Rate limit for {api_endpoint}?"),
            questions=("Our {api_lang} integration gets {api_error} from {api_endpoint} after a few hundred calls.",
                       "What is the actual rate limit on {api_endpoint}? The docs say {rate} but we get throttled "
                       "earlier."),
            details=("The response headers say `X-RateLimit-Remaining: 0`.", "We send about {rate} at peak."),
            answers=("The limit is per API key, not per endpoint: {rate}. Read `Retry-After` on a 429 and back off.",
                     "Batch your calls; {api_endpoint} accepts up to 100 ids per request."),
            solved=("Backing off on `Retry-After` did the trick, no more 429s.", "Batching cut our calls by 90%."),
            unsolved=("We already back off and still get {api_error}.",),
            metoo=("Same {api_error} for us on {api_endpoint}.", "+1, our {api_lang} client hits the same limit."),
        ),
        Issue(
            titles=("Webhook {webhook_event} not delivered", "No `{webhook_event}` webhooks arriving"),
            questions=("We subscribed to the `{webhook_event}` webhook but our endpoint never receives anything.",),
            details=("The webhook log in the admin panel shows a timeout for every delivery.",
                     "Our receiver runs behind Cloudflare."),
            answers=("Your endpoint must answer within 10 seconds with a 2xx; slower responses count as failures.",
                     "Cloudflare's bot protection blocks our webhook sender; add a rule to skip it for the webhook "
                     "path."),
            solved=("Our receiver was too slow. Queued the work and now every `{webhook_event}` arrives.",
                    "The Cloudflare rule fixed it, deliveries arrive."),
            unsolved=("Our endpoint answers in 200 ms and deliveries still fail.",),
            metoo=("We see missing `{webhook_event}` deliveries too.", "Same, no `{webhook_event}` webhooks since "
                                                                       "yesterday."),
        ),
        Issue(
            titles=("Retry behaviour for failed webhooks", "Are webhooks retried when our receiver is down?"),
            questions=("If our webhook receiver is down for an hour, are `{webhook_event}` events retried or lost?",),
            details=("We deploy the receiver a few times a day.", "We can't afford to lose `invoice.paid` events."),
            answers=("Webhooks are retried with exponential backoff for 24 hours, then marked failed; you can replay "
                     "them from the admin panel.",),
            solved=("Good to know, replaying from the admin panel covers our deploys.",),
            unsolved=("We lost events last night even though the outage was ten minutes.",),
            metoo=("Had the same question about webhook retries.", "Also wondering about retries."),
        ),
        Issue(
            titles=("Webhook signature verification fails in {api_lang}", "HMAC never matches the signature header"),
            questions=("Webhook signature verification fails in {api_lang}: the HMAC we compute never matches the "
                       "header.",),
            details=("Our code is basically `hmac.new(secret, body, sha256).hexdigest()`.",
                     "We parse the JSON first and then verify."),
            answers=("Compute the HMAC over the raw request body, before any JSON parsing; re-serialising changes "
                     "whitespace and the signature breaks.",
                     "In {api_lang} compare with a constant-time function, and make sure the secret isn't "
                     "base64-decoded twice."),
            solved=("Hashing the raw body fixed the signature check.", "The secret was decoded twice. Works now."),
            unsolved=("Still failing with the raw body.",),
            metoo=("Same signature mismatch in {api_lang}.", "+1, our HMAC never matches either."),
        ),
        Issue(
            titles=("Pagination on {api_endpoint} returns duplicates", "Cursor paging skips records"),
            questions=("Paging through {api_endpoint} with the cursor returns some records twice and skips others.",),
            details=("It happens with {api_lang} and with plain curl.", "It's worst during business hours."),
            answers=("Use `updated_since` instead of the cursor for incremental sync; the cursor isn't stable while "
                     "data changes.", "Sort by `id` explicitly; the default sort by activity shifts under you."),
            solved=("Switched to `updated_since`, no duplicates anymore.", "Sorting by id fixed the paging."),
            unsolved=("Tried that and {api_endpoint} still returns duplicates on page three.",),
            metoo=("Same duplicates on {api_endpoint}.", "+1, our sync skips records too."),
        ),
        Issue(
            titles=("API key suddenly returns `401 invalid_api_key`", "API key stopped working"),
            questions=("Our API key started returning `401 invalid_api_key` this morning, and nobody rotated it.",),
            details=("Nothing changed on our side.", "The key is still listed as active."),
            answers=("A key nobody rotated usually fails because it was scoped to a workspace that got renamed. "
                     "Create a new key.",),
            solved=("New key works. The workspace had been renamed.",),
            unsolved=("A brand-new key fails the same way.",),
            metoo=("Our key broke the same way.", "Same `401` since this morning."),
        ),
    ),
    details=("Our client code is basically `{api_snippet}`.", "We're on the {api_lang} client."),
    requests=(
        ("bulk endpoint for {api_endpoint}", "A bulk variant of {api_endpoint} would let us stay well under the rate "
                                             "limit."),
        ("webhook for {webhook_event}", "Please add a webhook for `{webhook_event}` so we can stop polling."),
        ("official {api_lang} SDK", "An official {api_lang} SDK with retries built in would help a lot."),
        ("response bodies in the webhook log", "Could the webhook log show the response body from our side? "
                                               "Debugging {api_error} is guesswork now."),
    ),
    probes=(
        "Can you share the request id from the response headers? Support can trace it.",
        "Which API version are you calling, v1 or v2? They behave differently here.",
        "How many requests per minute do you send at peak?",
    ),
    slots={
        "api_error": ("`429 Too Many Requests`", "`401 invalid_api_key`", "`504 Gateway Timeout`",
                      "`403 insufficient_scope`", "`413 Payload Too Large`"),
        "webhook_event": ("post.created", "member.joined", "invoice.paid", "thread.solved", "member.updated"),
        "api_endpoint": ("`/v2/threads`", "`/v2/members/search`", "`/v2/exports`", "`/v1/events`"),
        "api_snippet": ("requests.post(url, json=payload, timeout=10)", "curl -H 'Authorization: Bearer $TOKEN'",
                        "axios.get(url, params)", "http.NewRequest(\"GET\", url, nil)"),
        "api_lang": ("Python", "Node", "Go", "Ruby", "PHP", "Java"),
        "rate": ("60 requests per minute", "1,000 calls an hour", "10 requests per second", "600 requests a minute"),
    },
)

PERFORMANCE = SupportTopic(
    key="performance",
    channels=(("help", 8), ("feature-requests", 1)),
    issues=(
        Issue(
            titles=("Slow page load: {perf_page} takes {latency}", "Slow queries after upgrading to {version}"),
            questions=("For us, {perf_page} takes {latency} to load; it used to be instant.",
                       "Since upgrading to {version}, p95 latency on {perf_page} went from 300 ms to {latency}."),
            details=("`EXPLAIN ANALYZE` shows a sequential scan on the posts table.",
                     "The slow query log is full of the same select on `members`."),
            answers=("That's a missing index on created_at. Add it with `CREATE INDEX CONCURRENTLY idx_posts_created "
                     "ON posts(created_at)` and the page should drop under a second.",
                     "Run `VACUUM ANALYZE` on the posts table; stale statistics make the planner pick a sequential "
                     "scan."),
            solved=("Adding the index brought {perf_page} down to 400 ms. Night and day!",
                    "`VACUUM ANALYZE` did it. I'd never have guessed."),
            unsolved=("The index is there already, still {latency}.",),
            metoo=("Same here, {perf_page} got slow after the upgrade.", "We see {latency} loads too, self-hosted."),
        ),
        Issue(
            titles=("Postgres CPU at 100% during reports", "Database pegged when someone opens {perf_page}"),
            questions=("Our self-hosted Postgres sits at 100% CPU whenever someone opens {perf_page}.",),
            details=("Cache hit ratio dropped to about 60%.", "We tried `work_mem = 64MB` without luck."),
            answers=("Enable the read replica for reporting so {perf_page} stops competing with writes.",),
            solved=("The read replica fixed it, CPU is back to normal.",),
            unsolved=("Replica is on, the primary still spikes.",),
            metoo=("Our database spikes the same way.", "+1, CPU pegged during reports here too."),
        ),
        Issue(
            titles=("High latency from {region_dc}", "Slow page loads for our team in {region_dc}"),
            questions=("Users in {region_dc} see {latency} page loads, while it's fast for the team in the US.",),
            details=("Browser devtools show most time goes to static assets.", "The API calls themselves are quick."),
            answers=("For users in {region_dc}, turn on the CDN for static assets; most of the latency is asset "
                     "loading.",),
            solved=("CDN on, {region_dc} users report fast loads now.",),
            unsolved=("CDN is on, still {latency} from {region_dc}.",),
            metoo=("Same latency from {region_dc}.", "Our {region_dc} office sees this too."),
        ),
        Issue(
            titles=("Memory usage keeps climbing", "App server memory leak?"),
            questions=("Memory on the app server grows steadily until we restart it every night. Is there a known "
                       "leak?",),
            details=("The heap profile points at the indexer.", "We run two app nodes with 4 GB each."),
            answers=("The nightly memory growth is the search indexer; set `indexer.max_batch = 500` to cap it.",),
            solved=("Capping the indexer batch keeps memory flat now.",),
            unsolved=("Memory still climbs with the smaller batch.",),
            metoo=("+1 on the memory growth, we restart nightly as well.", "Same slow leak on our nodes."),
        ),
        Issue(
            titles=("Search is slow on large workspaces", "Search takes {latency}"),
            questions=("Search across {big_count} posts is painfully slow. Is there a setting to speed up indexing?",),
            details=("Flame graph attached, most time is in JSON encoding.", "Short queries are the slowest."),
            answers=("Rebuild the search index off-hours with `insight-admin reindex --batch 500`.",),
            solved=("The reindex made search fast again.",),
            unsolved=("Reindexed overnight, search is still slow.",),
            metoo=("Search is slow for us too.", "+1, search takes {latency} here."),
        ),
    ),
    details=("We tried `{perf_snippet}` without luck.", "Browser devtools show the API call itself takes {latency}."),
    requests=(
        ("latency dashboard for admins", "An admin page showing p95 latency per endpoint would make these reports much "
                                         "easier."),
        ("data center in {region_dc}", "Please consider a data center in {region_dc}; latency is our number one "
                                       "complaint."),
        ("faster {perf_page}", "Background pre-computation for {perf_page} would make it usable on large workspaces."),
    ),
    probes=(
        "Is this self-hosted or cloud? The fixes are quite different.",
        "Can you share a slow query from the Postgres log?",
        "How big is the workspace, roughly, in posts and members?",
    ),
    slots={
        "perf_page": ("the dashboard", "search", "the members list", "the analytics tab", "report generation"),
        "latency": ("8 seconds", "12 s", "well over 5 seconds", "a p95 of 4 s", "30+ seconds", "6-7 seconds"),
        "perf_snippet": ("cache.ttl = 300", "pool_size=20", "max_connections = 200", "shared_buffers = 2GB"),
        "region_dc": ("Sydney", "Singapore", "São Paulo", "Johannesburg", "Mumbai"),
        "big_count": ("200,000", "1.2 million", "80k", "350k"),
    },
)
