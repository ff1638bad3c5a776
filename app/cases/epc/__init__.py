"""The European Professional Card (Directive 2005/36/EC Arts 4a-4e, Implementing
Regulation (EU) 2015/983) as a kind of case.

The package: `lifecycle` (who may do what, as a table), `periods` and `deadlines` (the
legal periods as dates in the acting country's calendar), `accounts` (the applicants'
accounts and documents, and their retention), `applications` (submission, the
authorities' actions, the card, the tacit issue by law, verification), `certificate`
(the PDF with its verification code and QR), `notices` (mails), `kind` (visibility).
"""
