"""The demo knowledge base in English: every topic and the most read articles.

The other articles are left untranslated on purpose: the English pages show them in
Russian with the «Not yet translated» marker, as a real portal does while its editors
translate. Keyed by slug; loaded by `faq.demo.seed_faq`.
"""

CATEGORIES_EN = {
    "registration": (
        "Registration and signing in",
        "Your account, identity confirmation, password.",
    ),
    "applications": (
        "Applications and services",
        "How to apply, processing times, statuses and refusals.",
    ),
    "cabinet": ("Personal account", "My requests, notifications, personal details."),
    "payments": ("Fees and fines", "State fees, fines, receipts and refunds."),
    "documents": (
        "Certificates and documents",
        "Certificates, extracts, documents in your profile and PDF files.",
    ),
    "mobile": ("Mobile app", "Installing, signing in, notifications and app failures."),
    "technical": ("Technical problems", "Errors on the site, the browser, maintenance works."),
    "contact": ("Contacting support", "Phone, chat, the feedback form, complaints."),
}

ARTICLES_EN = {
    "vosstanovit-parol": {
        "title": "How to reset your password",
        "short": (
            "Click «Reset» on the sign-in page and enter your phone, e-mail, SNILS or "
            "passport — a code arrives, and then you can set a new password."
        ),
        "body": """
If you forgot your password or do not remember which one you set, you can reset it yourself
in a few minutes — there is no need to call support.

## How to reset it
1. On the sign-in page click «Cannot sign in?», then «Reset».
2. Enter your phone number, e-mail, SNILS or passport series and number.
3. Enter the code from the SMS or the e-mail — it is sent to the contact linked to your account.
4. Choose a new password and save it.

## What the new password must be like
- at least 8 characters;
- lower-case and capital Latin letters and digits;
- not one of your previous passwords, without your name or date of birth.

## If the code does not arrive
Check that the phone or e-mail is right and wait a couple of minutes before asking for the code
again. If you no longer have the old number, reset the password by e-mail, SNILS or passport.
""",
    },
    "ne-mogu-vojti": {
        "title": "I cannot sign in to my account",
        "short": (
            "Most often signing in fails because of a typo in the login, the keyboard layout "
            "or an outdated browser. Check them in turn, then restore access."
        ),
        "body": """
## Check in turn
1. **Login.** You can sign in with the phone, e-mail or SNILS given in your account.
2. **Keyboard layout and Caps Lock.** The password is typed in Latin letters, and case matters.
3. **Browser.** Update it and clear the cache if the sign-in page looks odd or buttons do not
   respond.
4. **Maintenance works.** During planned works signing in may be unavailable for a while.

## If nothing helped
Restore access: on the sign-in page click «Cannot sign in?». If a message about a lock appeared
after several failed attempts, wait until it ends — the time is given in the message.

When you can neither sign in nor restore access, write in the chat or call support. The numbers
and hours are in «Contacts» and at the bottom of every page. Have your full name and SNILS ready:
the operator finds your account by them.
""",
    },
    "spravka-o-nesudimosti": {
        "title": "How to get a certificate of no criminal record",
        "short": (
            "You can order the certificate of a criminal record (or its absence) online with a "
            "confirmed account. It takes up to 30 days; the electronic certificate arrives in "
            "your personal account."
        ),
        "body": """
The certificate of a criminal record (or its absence) is issued by the Ministry of Internal
Affairs (MVD). Anyone with a confirmed account can order it online.

## How to order
1. Find the service «Certificate of a criminal record or its absence».
2. Choose the purpose and the format: an electronic or a paper certificate.
3. Check your details. If you changed your surname or place of residence, give the previous ones.
4. Send the application.

## How long it takes
The request is checked against the MVD's records, so it may take up to 30 days. The status is
shown in «My requests».

## How to receive it
- **The electronic certificate** arrives in your personal account as a PDF signed electronically
  by the MVD — you can download it or send it to an organisation.
- **The paper certificate** is collected at the place chosen in the application.

Not every organisation accepts electronic certificates — ask the one that requested the
document beforehand.
""",
    },
    "kak-zaregistrirovatsya": {
        "title": "How to register on the portal",
        "short": (
            "Registration takes a few minutes: enter your surname, first name and phone or "
            "e-mail, confirm them with a code, then fill in your passport details and SNILS."
        ),
        "body": """
## What you need
- a mobile phone or an e-mail address;
- a Russian passport;
- SNILS (your individual insurance account number).

## How to register
1. Click «Register» on the sign-in page.
2. Enter your surname, first name and phone number or e-mail address.
3. Enter the confirmation code from the SMS or the e-mail.
4. Choose a password.
5. Fill in your passport details and SNILS and send them for checking.

## What comes next
The details are checked automatically, and the result comes as a notification. After the check
the account becomes a standard one. To use every service it has to be confirmed — a separate
article tells how.

One account per person. If you registered before, restore access to that account instead of
creating a new one: your phone and SNILS are already linked to it.
""",
    },
    "proverit-i-oplatit-shtraf": {
        "title": "How to check and pay a fine",
        "short": (
            "Traffic police fines and other charges appear under «Payments» when your profile "
            "holds your driving licence and vehicle registration certificate. You can pay the "
            "fine there too."
        ),
        "body": """
## How to find your fines
1. Add your documents to the profile: the driving licence, the vehicle registration
   certificate, your INN (taxpayer number).
2. Open «Payments» — the portal checks the charges against these documents itself.
3. Turn on notifications about new fines so that you do not miss them.

## How to pay
1. Choose the fine and check the decision: the date, the place, the amount.
2. Click «Pay» and choose how to pay.
3. Confirm the payment and keep the receipt.

## If you disagree with the fine
Paying means you accept the decision. To contest it, file a complaint with the authority that
issued the decision. The time to appeal is limited — it is stated in the decision itself.
""",
    },
    "kak-podat-zayavlenie": {
        "title": "How to apply for a service",
        "short": (
            "Find the service in the catalogue or by searching, click «Get the service», fill "
            "in the application and send it — you get the application number at once."
        ),
        "body": """
## Before you apply
Open the service's page and check who may apply, which documents are needed and what the
service costs. Many services need a confirmed account.

## How to apply
1. Find the service by searching for its name or in the catalogue.
2. Click «Get the service».
3. Check the details filled in from your profile and fill in the other fields.
4. Attach scans or photos of documents if they are asked for.
5. If the service is paid, pay the state fee.
6. Send the application.

## After sending
The application gets a number, and its status appears in «My requests». An unfinished
application is kept as a draft — you can come back to it later.
""",
    },
    "moi-zayavki": {
        "title": "Where to see the status of an application",
        "short": (
            "In your personal account, under «My requests»: the current status, the date it "
            "changed and the expected completion date."
        ),
        "body": """
«My requests» holds all your applications and your appeals to support.

## What you see for each application
- the number and the name of the service;
- the current status;
- the date of the last change;
- the expected completion date;
- the correspondence with the authority and the attached files.

## How to find the one you need
Search by number or use the filters: «Active», «Completed», «Drafts», «Appeals to support».

Every change of status is notified — in your personal account, by e-mail, by SMS or as a push
notification in the app, as chosen in your settings. If a status is unclear, see the article on
what each of them means.
""",
    },
    "statusy-zayavleniya": {
        "title": "What the status of an application means",
        "short": (
            "The status shows the stage your application is at: «Registered», «In progress», "
            "«Clarification needed», «Answered» or «Closed»."
        ),
        "body": """
## The statuses in order
- **Registered** — the application was received and numbered; the processing time has started.
- **In progress** — a specialist is studying the application and the documents.
- **Clarification needed** — more details or documents are needed from you. The processing time
  is extended meanwhile.
- **Answered** — the result is ready: a decision, a certificate or an explanation. Open the
  application to see it.
- **Closed** — the work is finished; the application can no longer be changed.

## Where to look
«My requests» shows the current status, the date it changed and the expected completion date.
Every change of status is notified, the way chosen in your settings.

If the status has not changed for long, check the processing times: they are counted in working
days.
""",
    },
    "ne-prikhodit-sms": {
        "title": "The SMS with the code does not arrive",
        "short": (
            "Wait two or three minutes, check the number on the screen, the phone's memory and "
            "whether short numbers are blocked. You can ask for a new code when the timer ends."
        ),
        "body": """
The confirmation code usually arrives within a minute, but when the mobile network is busy the
delivery may be delayed.

## What to check
- the phone number on the screen — is there a mistake in it;
- that the phone is online and flight mode is off;
- free memory: a phone with full memory does not receive messages;
- the «Spam» folder and the blocked numbers in the «Messages» app;
- whether your mobile operator blocks messages from short numbers.

## How to ask for the code again
Wait until the timer on the screen ends and click «Get a new code». Each new code cancels the
previous one, so enter the last one you received.

## If the number is no longer yours
When you no longer have the old number, restore access by e-mail, SNILS or passport, then enter
the new number in your profile.
""",
    },
    "kak-svyazatsya": {
        "title": "How to contact support",
        "short": (
            "Write in the online chat, call, book a call-back or send an appeal through the "
            "feedback form — you get the appeal's number at once."
        ),
        "body": """
Before contacting us, try searching the questions and answers: many problems are solved in a
couple of minutes.

## Ways to reach us
- **Online chat** — the bot answers first; an operator joins when needed.
- **Help line** — the numbers and hours are in «Contacts» and at the bottom of every page.
- **Call-back** — leave your number, and an operator calls you back when your turn comes.
- **Feedback form** — for complex questions; you can attach screenshots and documents.
- **E-mail** — the address is in «Contacts» too.

## To get an answer sooner
Have the number of your application or appeal, your full name and SNILS ready. Keep the number
of a new appeal: any channel tells its status by it.
""",
    },
}
