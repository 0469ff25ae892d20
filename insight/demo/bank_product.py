"""Phrase banks for the product help topics: login and SSO, billing, the mobile app, data export."""

from __future__ import annotations

from insight.demo.topics import Issue, SupportTopic

AUTH = SupportTopic(
    key="auth",
    channels=(("help", 9), ("integrations", 1), ("feature-requests", 1)),
    issues=(
        Issue(
            titles=("SSO with {idp} fails with {auth_error}", "{idp} SAML login broken after certificate rotation"),
            questions=("We set up SSO with {idp} and every login attempt ends with {auth_error}.",
                       "Our {idp} admin rotated the signing certificate and now SSO is broken for {auth_who}."),
            details=("The SAML tracer shows the assertion arriving, then {auth_error}.",
                     "I double-checked {auth_setting} in the {idp} console and it matches the docs."),
            answers=("When {idp} rotates the certificate you have to upload the new one under Settings > Security > "
                     "SSO; the old fingerprint stays cached until you do.",
                     "Re-download the metadata XML from {idp} and re-import it. {auth_error} usually means we still "
                     "hold the old certificate.",
                     "Check {auth_setting}: it has to match exactly, trailing slash included."),
            solved=("Uploading the new certificate fixed it, SSO works for {auth_who} again.",
                    "Re-importing the metadata fixed it.", "That was it, {auth_setting} was stale. Logins work!"),
            unsolved=("The certificate is already the new one, still {auth_error}.",
                      "Re-imported the metadata, same {auth_error} unfortunately."),
            metoo=("Same problem here with {idp} since their certificate rotation.", "Seeing {auth_error} with {idp} "
                                                                                     "too."),
        ),
        Issue(
            titles=("Can't log in with {idp} after upgrading to {version}",
                    "{idp} SSO redirect loop on the login page"),
            questions=("Since upgrading to {version}, {auth_who} can't sign in through {idp}; the login page just "
                       "redirects to itself.",),
            details=("Incognito mode gives the same result, so it's not a stale cookie.",
                     "The network tab shows the callback answering with a 302 back to `/login`."),
            answers=("The loop comes from the session cookie domain; set it to your exact host under Admin > "
                     "Authentication.",
                     "In recent versions the callback path changed to `/sso/callback`; update the redirect URI in "
                     "{idp}."),
            solved=("Setting the cookie domain stopped the loop.",
                    "Updating the redirect URI in {idp} fixed the loop."),
            unsolved=("The cookie domain is already set, still looping.", "Changed the callback path, the loop is "
                                                                          "still there."),
            metoo=("Same redirect loop here after the upgrade.", "+1, {auth_who} are stuck in the loop as well."),
        ),
        Issue(
            titles=("Password reset email never arrives", "Reset emails not delivered to {auth_who}"),
            questions=("Password reset emails don't arrive for {auth_who}, although the audit log shows them as "
                       "sent.",),
            details=("Nothing in spam either.", "Our mail runs on Microsoft 365 with strict filtering."),
            answers=("Reset mails often land in quarantine; ask IT to allowlist our sending domain.",
                     "Check Admin > Email > Delivery log. A bounce there usually means your mail gateway rejects the "
                     "tracked reset link."),
            solved=("IT found them in quarantine. Allowlisted, and resets work now.",
                    "The delivery log showed bounces; our gateway was the problem."),
            unsolved=("Allowlisted the domain, still nothing arrives.", "The delivery log says delivered, but the "
                                                                        "reset mail never shows up."),
            metoo=("We have the same issue with reset emails.", "+1, resets never arrive for {auth_who} here."),
        ),
        Issue(
            titles=("2FA codes rejected for {auth_who}", "Authenticator codes always invalid"),
            questions=("Two-factor codes from the authenticator app are rejected as 'invalid code', though the phone "
                       "clock is right.",),
            details=("It happens on both iOS and Android.", "Backup codes work, the app codes don't."),
            answers=("This is usually clock drift on the server. Set `clock_skew_seconds: 120` and retry.",
                     "People who enrolled before the migration need to re-enroll two-factor auth under Profile > "
                     "Security."),
            solved=("Raising the clock skew did it, codes work now.", "Re-enrolling fixed it for everyone."),
            unsolved=("Re-enrolled, codes are still rejected.", "Clock skew is already 120, same result."),
            metoo=("Same two-factor issue for {auth_who} in our workspace.", "+1, authenticator codes rejected here "
                                                                             "too."),
        ),
        Issue(
            titles=("Users logged out after a few minutes", "Session timeout setting ignored"),
            questions=("Sessions expire after a few minutes and people have to log in again; I set "
                       "`auth.session_ttl = 28800` to no effect.",),
            details=("It happens more often on Safari.", "We're behind a load balancer with two app nodes."),
            answers=("With two app nodes, sessions need a shared store; set `session.store = redis`, otherwise users "
                     "bounce between nodes and lose their login.",
                     "`auth.session_ttl` is only read at startup, so restart the app after changing it."),
            solved=("Moving sessions to Redis fixed it.", "A restart after the change did it, sessions last all day "
                                                          "now."),
            unsolved=("Restarted, still logged out after ten minutes.", "Sessions are in Redis already, same problem."),
            metoo=("Our users get logged out all the time as well.",
                   "+1, the session timeout seems ignored for us too."),
        ),
        Issue(
            titles=("How do I enforce SSO for the whole workspace?", "Turn off password logins?"),
            questions=("Is there a way to require SSO with {idp} for everyone and switch off password logins?",),
            details=("Our security team wants passwords gone.", "We have about {count} people in the workspace."),
            answers=("Enforce SSO under Admin > Authentication: tick 'Require SSO' and passwords are disabled for "
                     "everyone but the owner.",),
            solved=("SSO is enforced now, exactly what we needed.",),
            unsolved=("There's no 'Require SSO' option on our plan.",),
            metoo=("We'd like to enforce {idp} SSO too.", "+1, our auditors ask for this."),
        ),
        Issue(
            titles=("SCIM provisioning with {idp} doesn't create accounts", "SCIM sync from {idp} does nothing"),
            questions=("SCIM provisioning from {idp} runs without errors, but no accounts show up on our side.",),
            details=("We have about {count} people to onboard this quarter.", "The {idp} log says 'success'."),
            answers=("The SCIM token expires after 90 days. Generate a new one and paste it into the {idp} app "
                     "config.",),
            solved=("New SCIM token, and the accounts appeared within a minute.",),
            unsolved=("Fresh token, still no accounts.",),
            metoo=("Same SCIM problem with {idp} here.", "+1, provisioning silently does nothing for us."),
        ),
    ),
    details=("Our config has `{auth_snippet}`.", "Other apps on the same {idp} tenant log in fine.",
             "Affected are {auth_who}."),
    requests=(
        ("multiple {idp} tenants", "It would be great if SSO supported more than one {idp} tenant per workspace."),
        ("login audit export", "Could we get an export of login events? Our security team asks for it every quarter."),
        ("SCIM group sync", "Please add SCIM group sync for {idp} so we don't manage roles by hand."),
        ("passkeys", "Passkey support would let us drop the authenticator app for most users."),
    ),
    probes=(
        "Could you share the exact error from the browser console? {auth_error} alone can mean several things.",
        "Does it happen for every user or only for {auth_who}? That narrows it down a lot.",
        "Which version are you on? Auth changed quite a bit in the last two releases.",
    ),
    slots={
        "idp": ("Okta", "Azure AD", "Google Workspace", "Auth0", "Keycloak", "OneLogin", "JumpCloud"),
        "auth_error": ("`invalid_grant`", "`SAML signature mismatch`", "`401 Unauthorized`",
                       "`redirect_uri_mismatch`", "`token expired`", "`invalid_client`", "`CSRF state mismatch`"),
        "auth_snippet": ("auth.session_ttl = 3600", "oauth.redirect_uri = https://app.example.com/callback",
                         "clock_skew_seconds: 30", "scopes: openid email profile", "--require-sso"),
        "auth_setting": ("the ACS URL", "the redirect URI", "the entity ID", "the signing certificate",
                         "the allowed email domains"),
        "auth_who": ("new teammates", "our contractors", "users on Safari", "half of our org",
                     "people invited after Monday", "our admins"),
    },
)

BILLING = SupportTopic(
    key="billing",
    channels=(("help", 9), ("feature-requests", 1)),
    issues=(
        Issue(
            titles=("Charged twice for {billing_plan}", "Double charge on our card this month"),
            questions=("We were charged twice for the {billing_plan} plan this month; the card statement shows two "
                       "{amount} charges.",),
            details=("Both charges are from the same day.", "The billing page shows only one payment."),
            answers=("Duplicate charges are usually a pending authorisation that drops off in 3-5 days; if it doesn't, "
                     "billing support refunds it.",),
            solved=("The second charge disappeared after a few days, just a pending authorisation.",
                    "Billing refunded the second {amount}, all good."),
            unsolved=("It's been a week and the second {amount} charge is still there.",),
            metoo=("We were double-charged too this month.", "Same here, two {amount} charges on our card."),
        ),
        Issue(
            titles=("Invoice missing VAT number", "Can invoice {invoice_no} be reissued?"),
            questions=("Our invoice {invoice_no} doesn't include our VAT number, so finance can't book it. Can it be "
                       "reissued?",),
            details=("Our finance team needs this before the quarter closes.", "We're registered in the EU."),
            answers=("Add the VAT number under Billing > Company details and click 'Reissue invoice'; it regenerates "
                     "{invoice_no} with the number.",),
            solved=("The reissued invoice has our VAT number now. Finance is happy!",),
            unsolved=("There's no 'Reissue invoice' button on our {billing_plan} account.",),
            metoo=("Same, our invoice is missing the VAT number.", "+1, finance flagged the same thing here."),
        ),
        Issue(
            titles=("How does seat pricing work?", "Are inactive members billed as seats?"),
            questions=("How is seat pricing counted? We have {seats} members but only a handful post regularly.",),
            details=("We're trying to forecast next year's budget.", "The pricing page isn't clear on this."),
            answers=("Seats count members with a login in the billing period, not everyone in the member list.",),
            solved=("That makes sense, our seat count will be much lower than I feared.",),
            unsolved=("Our bill still counts all {seats} members, not just the active ones.",),
            metoo=("Had the same question about seats.", "+1, the seat count confused us too."),
        ),
        Issue(
            titles=("Downgrade from {billing_plan} to {billing_plan_low}?", "Prorated credit when downgrading?"),
            questions=("If we downgrade from {billing_plan} to {billing_plan_low} mid-cycle, do we get a prorated "
                       "credit?",),
            details=("Our usage dropped after a reorg.", "We'd like to keep our data."),
            answers=("Downgrades take effect at the end of the cycle; the difference is credited, not refunded.",),
            solved=("Clear, we'll downgrade at the end of the cycle.",),
            unsolved=("We downgraded and were charged the full {billing_plan} price anyway.",),
            metoo=("Also wondering about prorated credits.", "Same question for our workspace."),
        ),
        Issue(
            titles=("Card declined on renewal", "Renewal failed for {billing_plan}"),
            questions=("The {billing_plan} renewal failed with 'card declined', although the card works everywhere "
                       "else.",),
            details=("The card is a corporate Amex.", "Our billing contact changed recently."),
            answers=("Declines on renewal are often 3-D Secure; re-enter the card so your bank can ask for "
                     "confirmation.",),
            solved=("Re-entering the card worked, the renewal went through.",),
            unsolved=("Re-entered the card, still declined.",),
            metoo=("+1, card declined on renewal here as well.", "Same decline on our {billing_plan} renewal."),
        ),
        Issue(
            titles=("Where do I find past invoices?", "Invoices from last year"),
            questions=("Where can I download invoices from last year? The billing page lists only the last three.",),
            details=("Our accountant asked for the full year.", "We pay in {currency}."),
            answers=("Older invoices are under Billing > History > 'Show all'. The link is easy to miss.",),
            solved=("Found 'Show all', got every invoice.",),
            unsolved=("No 'Show all' link on our account, only three invoices.",),
            metoo=("I couldn't find old invoices either.", "+1, the billing history is hard to find."),
        ),
        Issue(
            titles=("Annual vs monthly billing", "Discount for annual {billing_plan}?"),
            questions=("Is there a discount for annual billing on {billing_plan}? The pricing page only shows "
                       "monthly.",),
            details=("We pay in {currency}.", "Finance prefers one invoice a year."),
            answers=("Annual billing on {billing_plan} is about two months free; switch under Billing > Plan.",),
            solved=("Switched to annual, that saves us a good amount.",),
            unsolved=("The annual option doesn't show up on our account.",),
            metoo=("Also interested in annual pricing.", "+1 for annual invoices."),
        ),
    ),
    details=("We're on the {billing_plan} plan.", "We're a {segment_phrase}, so cost matters."),
    requests=(
        ("invoices in {currency}", "Please support invoices in {currency}; conversion fees add up."),
        ("purchase orders", "Enterprise procurement needs purchase-order numbers on every invoice."),
        ("pricing per active member", "Pricing per active member instead of per seat would be fairer for "
                                      "communities with many lurkers."),
    ),
    probes=(
        "Billing questions are best sent to the billing team from Billing > Contact; they can see your account.",
        "Which plan and currency are you on? The options differ a bit.",
        "Is the billing contact on the account still current? Mails about this go there.",
    ),
    slots={
        "billing_plan": ("Team", "Pro", "Business", "Enterprise"),
        "billing_plan_low": ("Free", "Starter", "Pro"),
        "amount": ("$49", "$120", "€89", "£240", "$1,200"),
        "currency": ("EUR", "GBP", "INR", "BRL", "AUD"),
        "seats": ("12", "25", "40", "150", "300"),
        "invoice_no": ("INV-2026-0{nn}", "#{nn}{nn}"),
        "nn": tuple(f"{i:02d}" for i in range(11, 99, 9)),
    },
)

MOBILE = SupportTopic(
    key="mobile",
    channels=(("help", 8), ("feature-requests", 2)),
    issues=(
        Issue(
            titles=("Mobile app crashes on launch", "Crash on startup after updating to {app_version}"),
            questions=("The app crashes right on launch since the {app_version} update, on my {device}.",),
            details=("Crash report attached, it mentions `{mobile_snippet}`.", "Reinstalling didn't help."),
            answers=("{app_version} has a known crash when the font size is set to largest; a fix is in review.",
                     "Turn off 'Larger text' in accessibility settings until the fix ships."),
            solved=("Turned down the font size and it opens again.", "Turned off 'Larger text' and the app opens "
                                                                     "again."),
            unsolved=("Font size is default, still crashing on my {device}.",),
            metoo=("Same crash on my {device}.", "+1, the app crashes on launch for me too."),
        ),
        Issue(
            titles=("Push notifications stopped on my phone", "No notifications since restoring my phone"),
            questions=("Push notifications stopped arriving on my {device}; they're enabled in the app and in the "
                       "system settings.",),
            details=("Notifications work fine on my tablet.", "I restored the {device} from a backup last week."),
            answers=("Push tokens get invalidated after a restore from backup. Sign out and back in to re-register "
                     "the device.",),
            solved=("Signed out and in, notifications are back!",),
            unsolved=("Re-registering didn't bring notifications back.",),
            metoo=("Notifications stopped for me too.", "Same, no push since last week."),
        ),
        Issue(
            titles=("Mobile app stuck on the splash screen", "App hangs on the logo after login"),
            questions=("The mobile app sits on the splash screen forever on my {device}.",),
            details=("Same with Wi-Fi and mobile data.", "It started after the {app_version} update."),
            answers=("Clear the app cache under Settings > Storage; a corrupt cache leaves the app on the splash "
                     "screen.",),
            solved=("Clearing the cache did it, the app opens again.",),
            unsolved=("Cache cleared, still stuck on the splash screen.",),
            metoo=("Stuck on the splash screen here too.", "+1 on my {device}."),
        ),
        Issue(
            titles=("Can't upload images from the mobile app", "Photo upload fails on mobile"),
            questions=("Uploading a photo from the app on my {device} fails with '{mobile_error}'.",),
            details=("The photos are straight from the camera.", "Smaller screenshots upload fine."),
            answers=("Photo uploads over 10 MB fail on mobile; the next release compresses images before upload.",),
            solved=("A smaller photo worked, I'll wait for the compression fix.",),
            unsolved=("Even a 2 MB photo fails with '{mobile_error}'.",),
            metoo=("Same '{mobile_error}' when uploading photos.", "+1, uploads fail for me too."),
        ),
        Issue(
            titles=("App logs me out after every update", "Logged out of the mobile app again"),
            questions=("Every app update logs me out on my {device}, and I have to redo two-factor auth.",),
            details=("I'm on app version {app_version}.", "It's been like this for several releases."),
            answers=("The logout after updates comes from the keychain migration; it's fixed in the next release.",),
            solved=("The latest update kept me logged in, finally.",),
            unsolved=("Updated again today and was logged out again.",),
            metoo=("+1, logged out after every update here too.", "Same on my {device}."),
        ),
    ),
    details=("I'm on app version {app_version}.", "The device is a {device}, fully updated."),
    requests=(
        ("offline reading", "Offline reading in the mobile app would be great for commuters."),
        ("dark mode in the mobile app", "Please add dark mode to the mobile app, reading at night is painful."),
        ("home-screen widget", "A home-screen widget showing unread replies would keep me coming back."),
    ),
    probes=(
        "Which app version exactly? It's under Settings > About.",
        "Does it also happen on Wi-Fi? Some carriers block our push service.",
        "Could you send the crash log from Settings > Help > Send diagnostics?",
    ),
    slots={
        "device": ("Pixel 8 (Android 15)", "iPhone 13 (iOS 18)", "iPhone 15 Pro (iOS 18)", "Galaxy S23 (Android 14)",
                   "OnePlus 11 (Android 14)", "iPad Air (iPadOS 18)"),
        "app_version": ("{maj}.{mnr}.{pat} (build 4{nn})",),
        "nn": tuple(str(i) for i in range(10, 99, 11)),
        "mobile_error": ("Upload failed", "Network error -1005", "Something went wrong", "File too large"),
        "mobile_snippet": ("EXC_BAD_ACCESS", "java.lang.NullPointerException", "SIGABRT in ImageCache",
                           "OutOfMemoryError"),
    },
)

EXPORT = SupportTopic(
    key="export",
    channels=(("help", 7), ("integrations", 2), ("feature-requests", 2)),
    issues=(
        Issue(
            titles=("CSV export missing {export_column}", "Where is {export_column} in the members export?"),
            questions=("The CSV export of members doesn't include {export_column}, though we can see it in the admin "
                       "panel.",),
            details=("I used the export button under Admin > Data.",
                     "The downloaded zip contains `{export_file}` only."),
            answers=("{export_column} is only included when you tick 'Include custom fields' in the export dialog.",),
            solved=("Ticking 'Include custom fields' added {export_column}.",),
            unsolved=("There's no 'Include custom fields' option for us.",),
            metoo=("Same here, {export_column} is missing.", "+1, we need {export_column} in the export too."),
        ),
        Issue(
            titles=("Export stuck at {percent}%", "Data export never finishes"),
            questions=("Our data export has been stuck at {percent}% for hours. We have about {count} posts.",),
            details=("The export email arrived but the link says expired.", "I tried both the CSV and JSON export."),
            answers=("Large exports run in the background; when one is stuck at {percent}%, cancel it and restart with "
                     "a date range.",),
            solved=("Restarting with a date range finished in ten minutes.",),
            unsolved=("Restarted twice, stuck at {percent}% again.",),
            metoo=("Our export is stuck at {percent}% too.", "Same, the export never finishes for us."),
        ),
        Issue(
            titles=("Special characters broken in CSV export", "Excel opens the export in one column"),
            questions=("Names with accents come out garbled in the CSV export, like `{mojibake}`.",
                       "When I open the export in Excel everything is in one column, and accents look like "
                       "`{mojibake}`."),
            details=("We open the files in Excel on Windows.", "LibreOffice shows the same file correctly."),
            answers=("The CSV is UTF-8; in Excel use Data > From Text/CSV and pick UTF-8 and comma as the delimiter.",),
            solved=("Importing as UTF-8 with a comma delimiter fixed the accents and the columns.",),
            unsolved=("UTF-8 import still shows `{mojibake}`.",),
            metoo=("+1 on the broken accents.", "Same `{mojibake}` problem in our exports."),
        ),
        Issue(
            titles=("Exporting all threads for a date range", "Export only last quarter's threads?"),
            questions=("How do I export all threads from a date range? The export dialog only offers 'everything'.",),
            details=("We need this for a quarterly report to leadership.", "A full export takes hours for us."),
            answers=("Use the API's `/v2/exports` endpoint with `from` and `to` dates for a date-range export.",),
            solved=("The `/v2/exports` endpoint with dates is exactly what I needed.",),
            unsolved=("`/v2/exports` ignores the `from` date for us.",),
            metoo=("Would love date-range exports too.", "+1, full exports are too big for us."),
        ),
        Issue(
            titles=("Scheduled export to S3?", "Nightly export into our warehouse"),
            questions=("Can exports be scheduled to land in an S3 bucket every night for our warehouse?",),
            details=("Our warehouse is BigQuery.", "Right now someone downloads the file by hand every week."),
            answers=("Nightly S3 exports are on the Team plan under Integrations > Data sync.",),
            solved=("Data sync to S3 runs nightly now.",),
            unsolved=("Data sync isn't listed under Integrations for us.",),
            metoo=("Also looking for scheduled exports.", "+1, we'd use this too."),
        ),
    ),
    details=("We need this for our {export_file} pipeline.", "The export is for our analytics warehouse."),
    requests=(
        ("export {export_column}", "Please include {export_column} in the standard CSV export."),
        ("scheduled exports", "Scheduled exports to our own bucket would replace a fragile script."),
        ("Parquet export", "A Parquet export would load straight into our warehouse."),
    ),
    probes=(
        "Which export did you use, the one under Admin > Data or the API?",
        "How many posts does the workspace have, roughly? Large exports behave differently.",
        "Could you share the first two lines of the file? That tells us the encoding.",
    ),
    slots={
        "export_column": ("custom profile fields", "the join date", "the last-seen date", "tags",
                          "the member's group", "post reactions"),
        "percent": ("37", "50", "82", "99"),
        "mojibake": ("JosÃ©", "MÃ¼ller", "FranÃ§ois", "SÃ£o Paulo"),
        "export_file": ("members.csv", "threads.json", "posts-0001.csv"),
    },
)
