"""Country names: each country's canonical name, its other names and its demonyms, read into COUNTRY_NAMES
and DEMONYMS (name -> canonical) and COUNTRIES (the canonical names). The indexer counts how often each
report names each country; questions are scoped by them (assistant/question/scope.py).
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------------
# Countries: "Canonical; other names; demonyms", read into COUNTRY_NAMES and DEMONYMS (name -> canonical).

_COUNTRY_DATA = """
Afghanistan;;Afghan | Albania;;Albanian | Algeria;;Algerian | Andorra;;Andorran | Angola;;Angolan
Antigua and Barbuda;;Antiguan | Argentina;;Argentine,Argentinian | Armenia;;Armenian | Aruba;;Aruban
Australia;;Australian | Austria;;Austrian | Azerbaijan;;Azerbaijani | Bahamas;The Bahamas;Bahamian
Bahrain;;Bahraini | Bangladesh;;Bangladeshi | Barbados;;Barbadian | Belarus;;Belarusian | Belgium;;Belgian
Belize;;Belizean | Benin;;Beninese | Bhutan;;Bhutanese | Bolivia;Plurinational State of Bolivia;Bolivian
Bosnia and Herzegovina;Bosnia;Bosnian | Botswana;;Motswana,Batswana | Brazil;;Brazilian
Brunei;Brunei Darussalam;Bruneian | Bulgaria;;Bulgarian | Burkina Faso;;Burkinabe,Burkinabè
Burundi;;Burundian | Cabo Verde;Cape Verde;Cape Verdean,Cabo Verdean | Cambodia;;Cambodian
Cameroon;;Cameroonian | Canada;;Canadian | Central African Republic;CAR;Central African | Chad;;Chadian
Chile;;Chilean | China;People's Republic of China;Chinese | Colombia;;Colombian | Comoros;;Comorian
Congo;Republic of the Congo,Congo-Brazzaville; | Costa Rica;;Costa Rican
Côte d'Ivoire;Cote d'Ivoire,Ivory Coast;Ivorian | Croatia;;Croatian | Cuba;;Cuban | Curaçao;Curacao;
Cyprus;;Cypriot | Czechia;Czech Republic;Czech
Democratic Republic of the Congo;DRC,DR Congo,D.R. Congo,Congo-Kinshasa,Democratic Republic of Congo;Congolese
Denmark;;Danish | Djibouti;;Djiboutian | Dominica;; | Dominican Republic;;Dominican
Ecuador;;Ecuadorian,Ecuadorean | Egypt;;Egyptian | El Salvador;Salvador;Salvadoran,Salvadorean
Equatorial Guinea;;Equatoguinean | Eritrea;;Eritrean | Estonia;;Estonian | Eswatini;Swaziland;Swazi
Ethiopia;;Ethiopian | Fiji;;Fijian | Finland;;Finnish | France;;French | Gabon;;Gabonese
Gambia;The Gambia;Gambian | Georgia;;Georgian | Germany;;German | Ghana;;Ghanaian | Greece;;Greek
Grenada;;Grenadian | Guatemala;;Guatemalan | Guinea;;Guinean | Guinea-Bissau;Guinea Bissau;Bissau-Guinean
Guyana;;Guyanese | Haiti;;Haitian | Honduras;;Honduran | Hungary;;Hungarian | Iceland;;Icelandic
India;;Indian | Indonesia;;Indonesian | Iran;Islamic Republic of Iran;Iranian | Iraq;;Iraqi
Ireland;;Irish | Israel;;Israeli | Italy;;Italian | Jamaica;;Jamaican | Japan;;Japanese
Jordan;;Jordanian | Kazakhstan;;Kazakh,Kazakhstani | Kenya;;Kenyan | Kiribati;; | Kosovo;;Kosovar
Kuwait;;Kuwaiti | Kyrgyzstan;Kyrgyz Republic;Kyrgyz
Laos;Lao PDR,Lao People's Democratic Republic;Lao,Laotian | Latvia;;Latvian | Lebanon;;Lebanese
Lesotho;;Basotho,Mosotho | Liberia;;Liberian | Libya;;Libyan | Liechtenstein;; | Lithuania;;Lithuanian
Luxembourg;; | Madagascar;;Malagasy | Malawi;;Malawian | Malaysia;;Malaysian | Maldives;;Maldivian
Mali;;Malian | Malta;;Maltese | Marshall Islands;;Marshallese | Mauritania;;Mauritanian
Mauritius;;Mauritian | Mexico;;Mexican | Micronesia;;Micronesian | Moldova;Republic of Moldova;Moldovan
Monaco;;Monegasque | Mongolia;;Mongolian | Montenegro;;Montenegrin | Morocco;;Moroccan
Mozambique;;Mozambican | Myanmar;Burma;Burmese | Namibia;;Namibian | Nauru;;Nauruan
Nepal;;Nepali,Nepalese | Netherlands;The Netherlands,Holland;Dutch | New Zealand;; | Nicaragua;;Nicaraguan
Niger;;Nigerien | Nigeria;;Nigerian | North Korea;DPRK,Democratic People's Republic of Korea;North Korean
North Macedonia;Macedonia;Macedonian | Norway;;Norwegian | Oman;;Omani | Pakistan;;Pakistani
Palau;;Palauan
Palestine;State of Palestine,occupied Palestinian territory,oPt;Palestinian
Palestine;Gaza,Gaza Strip,West Bank;
Panama;;Panamanian | Papua New Guinea;PNG;Papua New Guinean | Paraguay;;Paraguayan | Peru;;Peruvian
Philippines;The Philippines;Filipino,Philippine | Poland;;Polish | Portugal;;Portuguese
Puerto Rico;;Puerto Rican | Qatar;;Qatari | Romania;;Romanian | Russia;Russian Federation;Russian
Rwanda;;Rwandan | Saint Kitts and Nevis;St Kitts and Nevis; | Saint Lucia;St Lucia;Saint Lucian
Saint Vincent and the Grenadines;St Vincent and the Grenadines;Vincentian | Samoa;;Samoan | San Marino;;
São Tomé and Príncipe;Sao Tome and Principe; | Saudi Arabia;;Saudi | Senegal;;Senegalese | Serbia;;Serbian
Seychelles;;Seychellois | Sierra Leone;;Sierra Leonean | Singapore;;Singaporean | Slovakia;;Slovak
Slovenia;;Slovenian | Solomon Islands;; | Somalia;;Somali | South Africa;;South African
South Korea;Republic of Korea;South Korean | South Sudan;;South Sudanese | Spain;;Spanish
Sri Lanka;;Sri Lankan | Sudan;;Sudanese | Suriname;;Surinamese | Sweden;;Swedish | Switzerland;;Swiss
Syria;Syrian Arab Republic;Syrian | Taiwan;;Taiwanese | Tajikistan;;Tajik
Tanzania;United Republic of Tanzania;Tanzanian | Thailand;;Thai | Timor-Leste;East Timor;Timorese
Togo;;Togolese | Tonga;;Tongan | Trinidad and Tobago;Trinidad;Trinidadian | Tunisia;;Tunisian
Türkiye;Turkey,Turkiye;Turkish | Turkmenistan;;Turkmen | Turks and Caicos Islands;Turks and Caicos;
Tuvalu;; | Uganda;;Ugandan | Ukraine;;Ukrainian | United Arab Emirates;UAE;Emirati
United Kingdom;UK,Great Britain,Britain;British | United States;USA,US,U.S.,United States of America;
Uruguay;;Uruguayan | Uzbekistan;;Uzbek | Vanuatu;; | Venezuela;Bolivarian Republic of Venezuela;Venezuelan
Viet Nam;Vietnam;Vietnamese | Western Sahara;;Sahrawi | Yemen;;Yemeni | Zambia;;Zambian
Zimbabwe;;Zimbabwean
"""


def _load_countries() -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for line in re.split(r"\s*[|\n]\s*", _COUNTRY_DATA.strip()):
        canon, others, dems = line.split(";")
        for n in [canon, *filter(None, others.split(","))]:
            names[n] = canon
        for d in filter(None, dems.split(",")):
            demonyms[d] = canon
    return names, demonyms


COUNTRY_NAMES, DEMONYMS = _load_countries()
COUNTRIES = tuple(sorted(set(COUNTRY_NAMES.values())))
