# Dates always carry the weekday ("Tue 15 Dec 2026"): a plant plans by working days.
DATE_FORMAT = "D j M Y"
SHORT_DATE_FORMAT = "D j M"
DATETIME_FORMAT = "D j M Y H:i"
SHORT_DATETIME_FORMAT = "D j M H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]
