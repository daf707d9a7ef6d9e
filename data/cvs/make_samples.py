"""Generate the PDF and DOCX sample CVs of this folder (the .txt and .md samples are hand-written).

All people, and most organisations, are fictional. Run from the repository root:

    python data/cvs/make_samples.py

Needs fpdf2 (dev extra) and python-docx. Output is deterministic (fixed creation dates), so the
committed files only change when the content here changes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2025, 7, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

SEC821_DUTIES = (
    "Leading the OSCE-wide implementation of the STS project, ensuring alignment with the "
    "Organization's security risk management framework and emergency preparedness objectives; "
    "Overseeing the development of project proposals, strategic plans, procurement frameworks, "
    "and budgetary forecasts; ensuring effective financial planning and monitoring project "
    "expenditures; "
    "Coordinating the preparation and periodic update of Standard Operating Procedures (SOPs), "
    "security advisories, internal policies, and interoffice communications relating to the STS. "
    "Serving as the focal point for liaison with internal stakeholders, OSCE Executive Structures, "
    "Institutions, and external partners including cloud-based system vendors; Coordinating "
    "directly with Security Focal Points in Field Operations and Institutions to validate "
    "emergency response "
    "procedures and maintain organizational readiness; Designing and leading the development and "
    "delivery of STS training curricula for administrators and end-users across the OSCE."
)

# Each PDF is a list of blocks: ("h", heading) | ("p", paragraph) | ("hidden", white tiny text)
PDFS: dict[str, list[tuple[str, str]]] = {
    "sec821_hidden_white_text.pdf": [
        ("title", "Marco Delacroix-Yilmaz"),
        ("p", "Tucson, Arizona | marco.dy@example.com"),
        ("h", "PROFILE"),
        ("p", "Friendly and reliable team member who enjoys working with people."),
        ("hidden", SEC821_DUTIES),
        ("h", "EXPERIENCE"),
        ("p", "Barista, Copper Cup Coffee House, Tucson\n09/2020 - 08/2023\n"
              "Prepared drinks, trained new baristas and handled the opening shift."),
        ("p", "Shop Assistant, Desert Bloom Garden Centre\n10/2023 - present\n"
              "Advise customers on plants and keep the stockroom organised."),
        ("h", "EDUCATION"),
        ("p", "Bachelor of Fine Arts (BFA), Sonoran College of Art, 2020"),
        ("h", "LANGUAGES"),
        ("p", "Spanish - native\nEnglish - C1"),
        ("hidden", "security risk management, emergency preparedness, project management, "
                   "SOPs, security advisories, Security Focal Points, OSCE"),
    ],
    "sec821_europass_master.pdf": [
        ("title", "Europass Curriculum Vitae"),
        ("h", "PERSONAL INFORMATION"),
        ("p", "Katarina Novak-Sorensen\nLjubljana, Slovenia\nkatarina.ns@example.si\n"
              "Sex Female | Date of birth 21/06/1989 | Nationality Slovenian"),
        ("h", "WORK EXPERIENCE"),
        ("p", "01/2021 - Present    Security Officer\n"
              "Regional Security Co-ordination Office, Western Balkans Stability Initiative\n"
              "Security risk assessments for project sites, security plans, coordination with "
              "security focal points, project monitoring and reporting to donors."),
        ("p", "03/2017 - 06/2021    Risk Management Assistant\n"
              "Slovenian Red Cross, Disaster Management Department\n"
              "Emergency preparedness projects, contingency planning, volunteer training."),
        ("h", "EDUCATION AND TRAINING"),
        ("p", "2015 - 2017    Master of Public Administration (MPA)\n"
              "University of Ljubljana, Faculty of Public Administration"),
        ("p", "2012 - 2015    Bachelor of Science in Criminal Justice and Security\n"
              "University of Maribor"),
        ("h", "PERSONAL SKILLS"),
        ("p", "Mother tongue(s)    Slovenian"),
        ("p", "Other language(s)    UNDERSTANDING    SPEAKING    WRITING\n"
              "Listening  Reading  Spoken interaction  Spoken production\n"
              "English    C2    C2    C1    C1    B2\n"
              "German    B1    B2    A2    A2    A2\n"
              "Levels: A1 and A2: Basic user - B1 and B2: Independent user - "
              "C1 and C2: Proficient user. Common European Framework of Reference for Languages"),
    ],
    "sec847_fr_achats_master.pdf": [
        ("title", "Camille Dufresne-Arnaud"),
        ("p", "Née le 02/09/1990 – Nationalité : française – Célibataire\n"
              "Adresse : 12 rue des Lilas, 69003 Lyon\ncamille.da@example.fr"),
        ("h", "EXPÉRIENCE PROFESSIONNELLE"),
        ("p", "Depuis mars 2019 — Acheteuse responsable, Groupe Horizon Santé, Lyon\n"
              "Pilotage des appels d'offres, achats responsables, audits fournisseurs (travail "
              "forcé, traite des êtres humains), rapports d'évaluation des offres."),
        ("p", "Sept. 2015 – févr. 2019 — Acheteuse junior, Office public de l'habitat du Rhône\n"
              "Marchés publics de travaux et de services, suivi de l'exécution des contrats."),
        ("h", "FORMATION"),
        ("p", "2015 Master 2 Achats internationaux, IAE Grenoble\n"
              "2013 Licence en économie et gestion, Université Lumière Lyon 2"),
        ("h", "LANGUES"),
        ("p", "Français : langue maternelle\nAnglais : courant (C1)\nEspagnol : notions"),
    ],
    "cthb2019_de_polizei.pdf": [
        ("title", "Lebenslauf"),
        ("p", "Markus Feldhofer-Brandt\nStaatsangehörigkeit: österreichisch\n"
              "E-Mail: m.feldhofer@example.at"),
        ("h", "Berufserfahrung"),
        ("p", "seit 01.2017    Leiter der Ermittlungsgruppe Menschenhandel, Bundeskriminalamt\n"
              "Leitung von 12 Ermittlern, internationale Ermittlungen mit Europol, Schulungen "
              "für Polizei und Staatsanwaltschaft, Projektplanung und Budget."),
        ("p", "01.09.2008 – 31.12.2016    Kriminalbeamter, Landeskriminalamt Wien\n"
              "Ermittlungen zu Menschenhandel und sexueller Ausbeutung von Kindern."),
        ("h", "Ausbildung"),
        ("p", "2002 – 2008    Magister der Rechtswissenschaften (Mag. iur.), Universität Wien"),
        ("h", "Sprachen"),
        ("p", "Deutsch (Muttersprache), Englisch (C1), Bosnisch/Kroatisch/Serbisch (B2)"),
    ],
    "jpo_economics_energy.pdf": [
        ("title", "Nino Beridze-Castellanos"),
        ("p", "Tbilisi, Georgia | nino.bc@example.ge"),
        ("h", "EDUCATION"),
        ("p", "MSc in Energy Economics, University of Oslo, 2022\n"
              "BSc in Economics, Tbilisi State University, 2020"),
        ("h", "EXPERIENCE"),
        ("p", "Research Assistant (20 hours/week), Caucasus Energy Research Centre\n"
              "09/2020 - 06/2022\nData collection on regional gas and electricity markets."),
        ("p", "Energy Analyst, Black Sea Energy Observatory\n09/2022 - present\n"
              "Energy security briefs, connectivity projects, good governance in the energy "
              "sector."),
        ("h", "LANGUAGES"),
        ("p", "Georgian: native; English: C1; Russian: B2; German: A2"),
        ("h", "JPO PREFERENCES"),
        ("p", "1. OCEEA - Energy Security (Opening 16)\n"
              "2. OCEEA - Economic Governance Unit (Opening 15)\n"
              "3. CPC - PSS Caucasus Desk (Opening 7)"),
    ],
}

# Each DOCX is a list of blocks: ("h", heading) | ("p", paragraph) | ("table", rows)
DOCXS: dict[str, list[tuple[str, object]]] = {
    "sec821_bachelor_substitution.docx": [
        ("title", "CURRICULUM VITAE"),
        ("h", "Personal information"),
        ("p", "Name: Tomasz Wierzbicki-Lund"),
        ("p", "Date of birth: 14.02.1991"),
        ("p", "Gender: Male"),
        ("p", "Nationality: Polish"),
        ("p", "E-mail: t.w.lund@example.net"),
        ("p", "Phone: +48 601 555 019"),
        ("h", "Work experience"),
        ("table", [
            ["02/2021 – to date",
             "Project Coordinator, Security Risk Management – Safe Field Travel programme, "
             "Baltic Sea Co-operation Council Secretariat"],
            ["", "Coordinated a multi-country security risk management project: project "
                 "proposals, budgets and expenditure monitoring, security needs assessments, "
                 "SOPs and training plans for 400 staff; liaison with security focal points "
                 "and a software vendor."],
            ["09/2014 – 12/2016", "Retail Operations Supervisor, Baltic Home Stores, Gdańsk"],
            ["", "Shift planning and stock control for a store of 40 staff."],
        ]),
        ("h", "Education"),
        ("table", [
            ["2010 – 2014", "Bachelor of Arts in International Security Studies, "
                            "University of Gdańsk"],
        ]),
        ("h", "Languages"),
        ("p", "Polish – native"),
        ("p", "English – C1"),
        ("p", "Russian – B2"),
    ],
    "sec821_p11_military.docx": [
        ("title", "PERSONAL HISTORY FORM (P.11)"),
        ("p", "1. Family name: Halvorsen    First name: Mikkel"),
        ("p", "2. Date of birth: 03.05.1984    Nationality at birth: Norwegian"),
        ("p", "3. Sex: M"),
        ("h", "15. LANGUAGES"),
        ("table", [
            ["Language", "Read", "Write", "Speak", "Understand"],
            ["Norwegian (mother tongue)", "", "", "", ""],
            ["English", "Easily", "Easily", "Easily", "Easily"],
            ["French", "Easily", "Not easily", "Not easily", "Easily"],
        ]),
        ("h", "16. EDUCATION"),
        ("p", "Master of Military Studies (Master's degree), Norwegian Defence University "
              "College, 2012"),
        ("p", "Bachelor of Military Studies, Norwegian Military Academy, 2008"),
        ("h", "17. EMPLOYMENT RECORD"),
        ("p", "From: 08/2012 To: 12/2019"),
        ("p", "Title: Company Commander / Security Planning Officer"),
        ("p", "Employer: Norwegian Armed Forces, Brigade North"),
        ("p", "Duties: security planning for deployments, risk assessments, force protection, "
              "training of 120 soldiers, project planning for a new base security system."),
        ("p", "From: 01/2020 To: present"),
        ("p", "Title: Security Risk Management Adviser"),
        ("p", "Employer: Nordic Humanitarian Security Network"),
        ("p", "Duties: security risk management framework, security trainings, emergency "
              "response procedures for 30 partner NGOs; project management of a travel "
              "security tool."),
    ],
    "sec847_part_time_procurement.docx": [
        ("title", "Giulia Ferrandi-Costa"),
        ("p", "Procurement and Supply Chain Analyst · giulia.fc@example.it"),
        ("h", "Experience"),
        ("p", "Procurement Officer — Consorzio Logistico Adriatico, Bari | 10/2022 – present"),
        ("p", "Tenders for services and works, evaluation reports, supplier sustainability "
              "questionnaires, contract management."),
        ("p", "Procurement Analyst (part-time, 60%) — Fondazione Mediterranea per lo Sviluppo, "
              "Rome | 10/2020 – 09/2022"),
        ("p", "Market research and spend analysis; supported sourcing for donor projects."),
        ("p", "Intern, Tender Unit — Regione Puglia Procurement Agency | 03/2020 – 08/2020"),
        ("h", "Education"),
        ("p", "Laurea magistrale in Economia e Management degli Acquisti, Università di "
              "Bologna, 2022"),
        ("p", "Laurea triennale in Economia, Università di Bari, 2019"),
        ("h", "Languages"),
        ("p", "Italian – native; English – C1; French – working knowledge"),
    ],
    "cthb2019_prosecutor_strong.docx": [
        ("title", "Ana-Maria Ristovska-Berg"),
        ("p", "Senior Public Prosecutor – combating trafficking in human beings"),
        ("h", "Professional experience"),
        ("p", "2012 – present: Senior Public Prosecutor, Department for Organised Crime and "
              "Corruption, Public Prosecutor's Office"),
        ("p", "Leads prosecutions of trafficking and child sexual exploitation cases; trains "
              "judges, prosecutors and police; drafted the national anti-trafficking guidelines."),
        ("p", "2015 – 2018: National Project Coordinator (part-time, 50%), Regional "
              "Anti-Trafficking Project of the Council of Europe Office"),
        ("p", "Planned, budgeted, implemented and evaluated a three-year capacity-building "
              "project for law enforcement."),
        ("p", "2006 – 2011: Public Prosecutor, Basic Public Prosecutor's Office"),
        ("p", "2004 – 2005: Legal Adviser, Open Gate Women's Rights Centre"),
        ("h", "Education"),
        ("p", "LLM in International Criminal Law, University of Amsterdam, 2005"),
        ("p", "Bachelor of Laws (LLB), Ss. Cyril and Methodius University, 2003"),
        ("h", "Languages"),
        ("p", "Macedonian (mother tongue), English (C1), Serbian (C2), German (A2)"),
    ],
    "jpo_comms_media.docx": [
        ("title", "Oksana Hrytsenko-Ward"),
        ("p", "Kyiv | oksana.hw@example.ua"),
        ("h", "Education"),
        ("p", "MA in Strategic Communications, Kyiv-Mohyla Academy, 2021"),
        ("p", "BA in Journalism, Taras Shevchenko National University of Kyiv, 2019"),
        ("h", "Experience"),
        ("p", "Communications Officer, Dnipro Civic Media Foundation, 2021 – 2023"),
        ("p", "Press releases, social media campaigns and media monitoring."),
        ("p", "Media Relations Assistant, European Media Freedom Network, 01/2024 – present"),
        ("p", "Press briefings, interview requests, fact sheets for journalists."),
        ("h", "Languages"),
        ("p", "Ukrainian – native; Russian – C2; English – C1; Polish – B1"),
        ("h", "JPO preferences"),
        ("p", "1. OSG – Communications and Media Relations Section (Opening 1)"),
        ("p", "2. OSG – External Co-operation Section (Opening 3)"),
        ("p", "3. CPC – PSS Eastern Europe Desk (Opening 9)"),
    ],
}


def make_pdf(path: Path, blocks: list[tuple[str, str]]) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_title(path.stem)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_auto_page_break(True, margin=15)
    for kind, text in blocks:
        if kind == "title":
            pdf.set_font("DejaVu", "B", 16)
            pdf.set_text_color(0, 0, 0)
            pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        elif kind == "h":
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 12)
            pdf.set_text_color(20, 40, 90)
            pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("DejaVu", "", 10)
            pdf.set_text_color(0, 0, 0)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "hidden":  # white 4-pt text: the keyword-stuffing trick
            pdf.set_font("DejaVu", "", 4)
            pdf.set_text_color(255, 255, 255)
            pdf.multi_cell(0, 2, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
    pdf.output(str(path))


def make_docx(path: Path, blocks: list[tuple[str, object]]) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.created = props.modified = FIXED.replace(tzinfo=None)
    props.author = "matcher sample generator"
    props.last_modified_by = "matcher sample generator"
    for kind, content in blocks:
        if kind == "title":
            document.add_heading(str(content), level=0)
        elif kind == "h":
            document.add_heading(str(content), level=1)
        elif kind == "p":
            para = document.add_paragraph(str(content))
            for run in para.runs:
                run.font.size = Pt(10)
        elif kind == "table":
            rows = content  # type: ignore[assignment]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[arg-type]
            for r, row in enumerate(rows):  # type: ignore[arg-type]
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    document.save(str(path))


def main() -> None:
    for name, blocks in PDFS.items():
        make_pdf(HERE / name, blocks)
    for name, dblocks in DOCXS.items():
        make_docx(HERE / name, dblocks)
    print(f"wrote {len(PDFS)} PDF and {len(DOCXS)} DOCX samples to {HERE}")


if __name__ == "__main__":
    main()
