"""The report of a pemda and quarter and everything read from the published warehouse for people: the
workbook, the page, the PDF, the letters to OPDs, the steward's follow-up list, the artifacts and the
notifications."""
