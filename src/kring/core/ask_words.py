"""The word lists the ask parser reads: sectors and regions with their synonyms, stop words,
legal forms, size words and role vocabulary, in Dutch and English.

Data only, kept apart from :mod:`kring.core.asks` so that the parser reads as code and the
lists can grow without scrolling past them.
"""

from __future__ import annotations


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: long word lists stay readable."""
    return frozenset(text.split())


DEFAULT_SECTORS: tuple[str, ...] = (
    "ICT",
    "Bouw",
    "Zorg",
    "Financiële diensten",
    "Logistiek",
    "Retail",
    "Horeca",
    "Advocatuur",
    "Accountancy",
    "Marketing",
    "Industrie",
    "Energie",
    "Onderwijs",
    "Vastgoed",
    "Farma",
    "Consultancy",
    "Overheid",
    "Landbouw",
)

DEFAULT_REGIONS: tuple[str, ...] = (
    "Antwerpen",
    "Limburg",
    "Oost-Vlaanderen",
    "West-Vlaanderen",
    "Vlaams-Brabant",
    "Brussel",
    "Noord-Brabant",
    "Zuid-Holland",
    "Noord-Holland",
    "Utrecht",
    "Limburg (NL)",
)

# The organisation size bands Kring stores (the same strings as the Organisation model's).
SIZE_BANDS: tuple[str, ...] = ("1-9", "10-49", "50-249", "250+")

NL_KEEP = wordset(
    """keuken examen teken wagen deken molen jongen regen toren zegen open leven even zeven
    boven oven haven bodem mens wens lens sales business news series"""
)

EN_KEEP = wordset(
    """sales business news series species analysis status bus gas yes his this its is was has
    does us plus chaos physics economics ethics mathematics logistics headquarters lens
    always perhaps whereas"""
)

NL_IRREGULAR = {"leden": "lid", "steden": "stad", "schepen": "schip", "kinderen": "kind"}

# Dutch plurals in -s end in one of these before the s (managers, consultants, CEO's go elsewhere).
NL_S_ENDINGS = ("er", "or", "el", "em", "en", "eur", "je", "ie", "ee", "ant", "ent", "ct", "st")

NL_STOP = wordset(
    """de het een bij van voor in met en op aan die dat naar zoek ik wij uit dan meer grote
    iemand of"""
)

EN_STOP = wordset(
    """the at for of in with and on a an to who from than more large someone looking i"""
)

SECTOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ICT": (
        "ict", "software", "tech", "technologie", "technology", "informatica", "saas",
        "it sector", "it-sector", "it companies", "it bedrijven", "information technology",
    ),
    "Bouw": (
        "bouw", "bouwsector", "construction", "aannemer", "contractor", "bouwbedrijf",
        "building industry",
    ),
    "Zorg": (
        "zorg", "zorgsector", "gezondheidszorg", "healthcare", "health care", "ziekenhuis",
        "hospital", "rusthuis", "woonzorgcentrum", "care sector",
    ),
    "Financiële diensten": (
        "financiele diensten", "financial services", "finance", "financial sector", "bank",
        "banking", "verzekeraar", "verzekering", "insurance", "insurer", "fintech",
        "financiele sector",
    ),
    "Logistiek": (
        "logistiek", "logistieke", "logistics", "transport", "transportsector", "shipping",
        "vervoer", "expeditie", "supply chain",
    ),
    "Retail": (
        "retail", "retailer", "detailhandel", "winkel", "winkelketen", "supermarkt", "shop",
        "store", "e-commerce", "webshop",
    ),
    "Horeca": (
        "horeca", "horecazaak", "restaurant", "hotel", "cafe", "hospitality", "catering",
    ),
    "Advocatuur": (
        "advocatuur", "advocatenkantoor", "law firm", "legal sector", "juridische sector",
    ),
    "Accountancy": (
        "accountancy", "accounting", "accountantskantoor", "boekhoudkantoor", "audit firm",
        "accounting firm",
    ),
    "Marketing": (
        "marketing", "reclame", "advertising", "reclamebureau", "communicatiebureau",
        "marketing agency", "marketingbureau",
    ),
    "Industrie": (
        "industrie", "industry", "industrial", "industriele", "manufacturing", "maakindustrie",
        "productiebedrijf", "fabriek", "factory", "chemie", "chemical", "chemische",
    ),
    "Energie": (
        "energie", "energy", "energiesector", "utility", "utilities", "nutsbedrijf",
        "renewables", "hernieuwbare energie",
    ),
    "Onderwijs": (
        "onderwijs", "education", "school", "universiteit", "university", "hogeschool",
    ),
    "Vastgoed": (
        "vastgoed", "real estate", "property", "immo", "projectontwikkelaar",
        "property developer",
    ),
    "Farma": (
        "farma", "pharma", "farmaceutisch", "farmaceutische", "pharmaceutical", "biotech",
        "life sciences", "farmabedrijf",
    ),
    "Consultancy": (
        "consultancy", "consulting", "adviesbureau", "advieskantoor", "management consulting",
    ),
    "Overheid": (
        "overheid", "government", "public sector", "publieke sector", "gemeente",
        "municipality", "ministerie", "ministry",
    ),
    "Landbouw": (
        "landbouw", "agriculture", "agri", "agrarisch", "agrarische", "farming", "tuinbouw",
        "agrofood",
    ),
}  # fmt: skip

# Words that may join a sector word into one Dutch compound: farma|bedrijven, bouw|sector.
COMPOUND_HEADS = wordset(
    """bedrijf bedrijven sector sectoren zaak zaken firma firmas kantoor kantoren groep groepen
    bedrijfsleven wereld branche industrie bureau bureaus keten ketens speler spelers reus
    reuzen company companies firm firms"""
)

REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "Antwerpen": (
        "antwerpen", "antwerp", "anvers", "provincie antwerpen", "mechelen", "turnhout",
        "geel", "lier", "mol", "herentals",
    ),
    "Limburg": (
        "limburg", "belgisch limburg", "hasselt", "genk", "sint-truiden", "tongeren",
        "beringen", "lommel", "bilzen", "maasmechelen",
    ),
    "Oost-Vlaanderen": (
        "oost-vlaanderen", "east flanders", "gent", "ghent", "aalst", "sint-niklaas",
        "oudenaarde", "dendermonde", "lokeren",
    ),
    "West-Vlaanderen": (
        "west-vlaanderen", "west flanders", "brugge", "bruges", "kortrijk", "oostende",
        "ostend", "roeselare", "ieper", "ypres",
    ),
    "Vlaams-Brabant": (
        "vlaams-brabant", "flemish brabant", "leuven", "louvain", "vilvoorde", "tienen",
        "zaventem", "halle",
    ),
    "Brussel": ("brussel", "brussels", "bruxelles", "brussels capital region"),
    "Noord-Brabant": (
        "noord-brabant", "north brabant", "eindhoven", "tilburg", "breda", "s-hertogenbosch",
        "den bosch", "helmond",
    ),
    "Zuid-Holland": (
        "zuid-holland", "south holland", "rotterdam", "den haag", "the hague", "leiden",
        "delft", "dordrecht",
    ),
    "Noord-Holland": (
        "noord-holland", "north holland", "amsterdam", "haarlem", "alkmaar", "zaandam",
    ),
    "Utrecht": ("utrecht", "amersfoort"),
    "Limburg (NL)": (
        "limburg (nl)", "nederlands limburg", "dutch limburg", "zuid-limburg", "maastricht",
        "venlo", "heerlen", "roermond", "sittard",
    ),
}  # fmt: skip

# Names of provinces in other languages (the rest of the aliases are cities).
OTHER_REGION_NAMES = frozenset(
    (
        "antwerp", "anvers", "provincie antwerpen", "belgisch limburg", "east flanders",
        "west flanders", "flemish brabant", "brussels", "bruxelles", "brussels capital region",
        "north brabant", "south holland", "north holland", "nederlands limburg",
        "dutch limburg", "zuid limburg", "limburg nl",
    )
)  # fmt: skip

LEGAL_FORMS = wordset("nv bv bvba commv vof cv cvba srl sa sprl ltd llc inc gmbh plc")

SIZE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        wordset(
            """large big grote groot grotere larger multinational multinationals multinationale
            enterprise enterprises corporate corporates"""
        ),
        "250+",
    ),
    **dict.fromkeys(wordset("middelgrote middelgroot medium midsize midsized"), "50-249"),
    **dict.fromkeys(wordset("small kleine klein kleinere smaller"), "10-49"),
    **dict.fromkeys(wordset("micro startups startup eenmanszaken"), "1-9"),
}

ORG_NOUNS = wordset(
    """bedrijf bedrijven company companies firm firms onderneming ondernemingen organisatie
    organisaties organisation organisations organization organizations kantoor kantoren zaak
    zaken speler spelers player players employer employers werkgever werkgevers klant
    klanten client clients business businesses"""
)

PEOPLE_UNITS = (
    r"(?:employees|employee|werknemers|medewerkers|personeelsleden|mensen|people|staff|fte|"
    r"personeel|workers|werkkrachten)"
)

PREAMBLE = wordset(
    """i im i'm we am are looking searching seeking search need want would like to meet get
    introduced introduction intro an a the some any een de het enkele paar ik wij we zoek
    zoeken ben zijn op naar wil willen graag kennismaken leren kennen for good goede ervaren
    experienced reliable betrouwbare betrouwbaar strong sterke goeie"""
)

GENERIC_PEOPLE = wordset(
    """someone somebody anyone anybody iemand people mensen personen persons person contact
    contacts contactpersoon"""
)

ROLE_STOP = wordset(
    """at bij van voor in of met from with for who die dat that which working werkzaam actief
    op aan uit near around rond binnen within and en or across among onder werkend who's
    whose wiens in across"""
)

CLAUSE_SKIP = wordset(
    """does do doet handles handle runs run leads lead manages manage heads head is works work
    in charge of responsible for verantwoordelijk voor bevoegd instaat the de het our their
    its onze hun zich bezighoudt bezig houdt met takes care care of"""
)

CLAUSE_END_NL = wordset("doet regelt leidt beheert is heeft doen regelen")

ROLE_MODIFIERS = wordset(
    """it ict marketing finance financial sales hr r&d operations software legal"""
)

ROLE_SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "purchasing purchaser buyer procurement aankoper aankoop inkoper inkoop",
        "lawyer attorney advocaat",
        "tax fiscalist belastingadviseur",
        "accountant boekhouder bookkeeper",
        "ceo zaakvoerder bedrijfsleider directeur director owner eigenaar",
        "hr personeel personeelsdienst",
        "sale verkoop verkoper salesman",
    )
)
