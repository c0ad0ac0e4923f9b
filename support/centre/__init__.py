"""The contact centre's base, shared by appeals, chat and call-backs.

- `people`: the staff roles (operator, supervisor) and who takes a step (`Actor`);
- `refusals`: the words every kind's lifecycle refuses with;
- `access`: the staff gate the operator pages share;
- `uploads` and `files`: checking an uploaded file, and the form field that takes several;
- `contacts`: how a visitor without an account can be reached (name, e-mail or phone, consent);
- `owners`: whose a chat or a call-back is (an account or a visitor's browser session).

Each kind (appeals, chats, call-backs) builds on this and none on another kind's rules.
"""
