"""The citizen's side of a survey: the phone form, the kiosk, posters and the paper questionnaire."""
