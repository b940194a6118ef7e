"""Dates et heures en français : « 30 nov. 2026, 18:18 ».

Django's French defaults give "30/11/2026 18:18" in tables and "Déc 2025" for the "M" format (the English
three-letter abbreviation, capitalised); "N" is the French abbreviation ("déc.", "mars", "juil.").
Anything not set here comes from Django's own French formats (numbers: "30 000,5").
"""

DATE_FORMAT = "j F Y"  # 30 novembre 2026, dans une phrase
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j N Y"  # 30 nov. 2026, dans un tableau
SHORT_DATETIME_FORMAT = "j N Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "N Y"  # nov. 2026 : un mois dans les graphiques, les tableaux et les périodes
MONTH_DAY_FORMAT = "j F"
