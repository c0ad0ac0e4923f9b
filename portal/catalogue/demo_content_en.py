# ruff: noqa: E501 — content: one service's facts on one line read better than wrapped.
"""The demo catalogue in English: every category and the most requested services.

The other services are left untranslated on purpose: the English catalogue shows them
in Russian with the «Not yet translated» marker. Loaded by `portal.catalogue.demo`.
"""

CATEGORIES_EN = {
    "passport": (
        "Passports, registration, visas",
        "Passport, international passport, permanent and temporary registration.",
    ),
    "security": (
        "Security and law enforcement",
        "Criminal record certificates, weapons, enforcement proceedings.",
    ),
    "transport": (
        "Transport and driving",
        "Driving licences, vehicle registration, fines, parking.",
    ),
    "family": ("Family and children", "Birth, marriage, maternity capital, child benefits."),
    "taxes": (
        "Taxes and finance",
        "Tax deductions, INN, taxes and certificates from the tax service.",
    ),
    "pensions": (
        "Pensions and social payments",
        "Pension, length of service, supplements and benefits.",
    ),
    "health": (
        "Health",
        "Doctor's appointments, the OMS medical insurance policy, registering with a clinic.",
    ),
    "education": ("Education", "Kindergarten, school, clubs, university admission."),
    "housing": ("Housing and utilities", "Utility payments, subsidies, the housing waiting list."),
    "property": ("Real estate and land", "EGRN extracts, registration of rights, land plots."),
    "business": (
        "Business and enterprise",
        "Registering as an individual entrepreneur, self-employment, licences, support.",
    ),
    "work": ("Work and employment", "Job search, unemployment benefit, the employment record."),
}

DEPARTMENTS_EN = {
    "mvd": (
        "Ministry of Internal Affairs of Russia (migration divisions)",
        "Help line: 8 800 222-74-47\nIn person — at migration divisions and at MFC centres by appointment",
    ),
    "mvd_ic": (
        "Ministry of Internal Affairs of Russia (information centres)",
        "Help line: 8 800 222-74-47\nYou can also apply at an MFC centre",
    ),
    "gibdd": (
        "State Traffic Inspectorate of the Ministry of Internal Affairs",
        "Help line: 8 800 222-74-47\nOpening hours of the divisions — on the regional inspectorate's site",
    ),
    "sfr": (
        "Social Fund of Russia",
        "Single contact centre: 8 800 100-00-01\nClient services — by appointment",
    ),
    "health": ("Medical organisations of the region", "Single health information line: 122"),
    "housing": (
        "Local government, housing and utilities department",
        "The municipality's single housing and utilities dispatch service",
    ),
}

STEPS_EN = {
    "certificate": (
        "Sign in to the portal with a confirmed account.\n"
        "Fill in the application: most details are filled in from your profile.\n"
        "Send the application and follow its status in «My requests».\n"
        "Download the certificate in your personal account or collect it from the authority."
    ),
    "application": (
        "Sign in to the portal with a confirmed account.\n"
        "Fill in the application and attach the documents from the list.\n"
        "Send the application: you get its number and the processing time.\n"
        "Follow the status in «My requests» — you are notified of the decision."
    ),
    "change": (
        "Sign in to the portal and open the service.\n"
        "Enter the new details and attach the documents that confirm them.\n"
        "If a visit in person is needed, choose a convenient office and time.\n"
        "Wait for the notification of the result in «My requests»."
    ),
    "appointment": (
        "Sign in to the portal and choose the service.\n"
        "Choose the authority, a free date and time.\n"
        "Confirm the appointment — the ticket arrives in your personal account.\n"
        "Come at the appointed time with the documents from the list."
    ),
    "payment": (
        "Sign in to the portal or find the charge by the document's number.\n"
        "Check the amount and choose how to pay: a card, the Faster Payments System or an e-wallet.\n"
        "Pay — the receipt is kept in your personal account.\n"
        "The charge's status is updated within a few days."
    ),
}

# A checklist line's English, by its Russian (title, note).
DOCUMENTS_EN = {
    ("Паспорт гражданина РФ", ""): ("Russian passport", ""),
    ("СНИЛС", "номер подставится из учётной записи"): (
        "SNILS",
        "the number is filled in from your account",
    ),
    ("Паспорт, который заменяется", ""): ("The passport being replaced", ""),
    ("Фотография 35×45 мм", "в электронном виде подставится, если подаёте онлайн"): (
        "Photo 35×45 mm",
        "filled in electronically if you apply online",
    ),
    ("Свидетельства о рождении детей до 14 лет", "для отметки о детях в паспорте"): (
        "Birth certificates of children under 14",
        "to record the children in the passport",
    ),
    ("Свидетельство о браке", "если менялась фамилия"): (
        "Marriage certificate",
        "if your surname changed",
    ),
    ("Квитанция об оплате госпошлины", "можно не прикладывать: оплата видна в системе"): (
        "Receipt for the state fee",
        "need not be attached: the payment is seen in the system",
    ),
    ("Военный билет", "для мужчин 18–30 лет или справка из военкомата"): (
        "Military ID",
        "for men aged 18–30, or a certificate from the military commissariat",
    ),
    ("Старый загранпаспорт", "если он ещё действует"): (
        "The old international passport",
        "if it is still valid",
    ),
    ("Документ о смене ФИО", "если фамилия, имя или отчество менялись"): (
        "Document on a change of name",
        "if your surname, first name or patronymic changed",
    ),
    ("Номер постановления, водительского удостоверения или СТС", ""): (
        "Number of the decision, the driving licence or the vehicle registration certificate",
        "",
    ),
    ("Свидетельство о рождении ребёнка", ""): ("The child's birth certificate", ""),
    ("Сведения о доходах семьи", "большинство запрашиваются ведомством самостоятельно"): (
        "The family's income details",
        "the authority requests most of them itself",
    ),
    ("Реквизиты банковского счёта", "счёт должен быть оформлен на заявителя"): (
        "Bank account details",
        "the account must be in the applicant's name",
    ),
    ("Полис ОМС", ""): ("OMS medical insurance policy", ""),
    ("Лицевой счёт или платёжный документ", ""): (
        "Personal account number or a payment document",
        "",
    ),
}

SERVICES_EN = {
    "10010001": {
        "title": "Replacing the Russian passport at 20 and 45",
        "summary": "The passport is replaced after the 20th and 45th birthdays, within 90 days of the birthday. You can apply online and come for the new passport only once.",
        "applicants": "Russian citizens who have turned 20 or 45.",
        "cost": "State fee 1 500 ₽",
        "result": "A new Russian passport, handed over in person at the chosen office.",
    },
    "10010003": {
        "title": "New-style international passport for 10 years",
        "summary": "A biometric international passport with an electronic chip. Issued within a month at your place of residence, within three at your place of stay.",
        "applicants": "Russian citizens of any age; parents apply for children under 14.",
        "cost": "State fee 15 000 ₽ for adults, 7 500 ₽ for children under 14",
        "result": "An international passport valid for 10 years.",
    },
    "10020001": {
        "title": "Certificate of no criminal record",
        "summary": "A certificate of a criminal record or its absence, and of criminal prosecution. Needed to work with children, in public service, to travel abroad.",
        "applicants": "Russian citizens, foreigners and stateless persons over 14.",
        "cost": "Free",
        "result": "The certificate in electronic form with the electronic signature of the Ministry of Internal Affairs, or on paper at an MFC centre.",
    },
    "10030001": {
        "title": "Paying traffic police fines",
        "summary": "Checking and paying fines for traffic offences by the number of the decision, the driving licence or the vehicle registration certificate. In the first 20 days most fines are 50% off.",
        "applicants": "Vehicle owners and drivers.",
        "cost": "The amount of the fine; in the first 20 days, 50% of it",
        "result": "The fine is paid; the receipt is kept in your personal account.",
    },
    "10040001": {
        "title": "Maternity capital: getting the certificate",
        "summary": "The maternity (family) capital certificate is usually issued by itself after the birth is registered. If that did not happen, apply.",
        "applicants": "Mothers, fathers (in some cases) and children, if the parents cannot use the right.",
        "cost": "Free",
        "result": "An electronic maternity capital certificate in your personal account.",
    },
    "10040003": {
        "title": "Unified benefit for children and pregnant women",
        "summary": "A monthly payment to families with an income below the subsistence minimum: for children under 17 and for women registered early in pregnancy.",
        "applicants": "Parents of children under 17 and pregnant women registered before 12 weeks.",
        "cost": "Free",
        "result": "A monthly benefit paid to a «Mir» card account.",
    },
    "10070001": {
        "title": "Making a doctor's appointment",
        "summary": "An appointment with a general practitioner, a paediatrician or a specialist at the clinic you are registered with.",
        "applicants": "Citizens with an OMS policy registered with a clinic.",
        "cost": "Free under OMS",
        "result": "An appointment ticket in your personal account.",
    },
    "10090002": {
        "title": "Paying for housing and utilities",
        "summary": "Paying the rent, water, electricity and gas by your personal account number, without a commission.",
        "applicants": "Owners and tenants of housing.",
        "cost": "The amount on the bill, without a commission",
        "result": "The payment is credited; the receipt is in your personal account.",
    },
}
