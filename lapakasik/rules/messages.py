"""Texts for reasons, notes and item labels, Indonesian first (the default UI language), then English.

Codes are stable API: the public page and officers' console look them up or show these texts.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from babel.dates import format_date

from .memo import per_process_text

MESSAGES: dict[str, tuple[str, str]] = {
    # --- eligibility reasons, JHT
    "jht_reason_recognised": (
        "Alasan klaim '{reason}' diakui oleh peraturan yang berlaku pada {on}.",
        "Claim reason '{reason}' is recognised by the regulation in force on {on}.",
    ),
    "jht_reason_not_recognised": (
        "Alasan klaim '{reason}' belum diakui pada {on} (baru berlaku sejak Permenaker 4/2022).",
        "Claim reason '{reason}' is not recognised on {on} (only from Permenaker 4/2022).",
    ),
    "jht_waiting_period_over": (
        "Masa tunggu {months} bulan sejak {separation} telah lewat; dapat dibayar sejak {payable}.",
        "The {months}-month waiting period after {separation} is over; payable from {payable}.",
    ),
    "jht_waiting_period_running": (
        "Masa tunggu {months} bulan sejak {separation} belum lewat; klaim dapat diajukan mulai {payable}.",
        "The {months}-month waiting period after {separation} is still running; claim from {payable}.",
    ),
    "jht_retirement_age_reached": (
        "Peserta telah mencapai usia pensiun {age} tahun pada {payable}.",
        "The participant reached the retirement age of {age} on {payable}.",
    ),
    "jht_retirement_age_not_reached": (
        "Peserta baru mencapai usia pensiun {age} tahun pada {payable}.",
        "The participant reaches the retirement age of {age} only on {payable}.",
    ),
    "jht_paid_to_heirs": (
        "Peserta meninggal dunia; saldo JHT dibayarkan kepada ahli waris.",
        "The participant died; the JHT balance is paid to the heirs.",
    ),
    "jht_event_reason": (
        "Alasan '{reason}' tidak memerlukan masa tunggu; dapat dibayar sejak {payable}.",
        "Reason '{reason}' has no waiting period; payable from {payable}.",
    ),
    "jht_partial_membership_met": (
        "Kepesertaan sejak {start} telah mencapai {years} tahun pada {payable}; klaim sebagian {percent}% sekali.",
        "Membership since {start} reached {years} years on {payable}; partial claim of {percent}% once.",
    ),
    "jht_partial_membership_short": (
        "Kepesertaan sejak {start} baru mencapai {years} tahun pada {payable}.",
        "Membership since {start} reaches {years} years only on {payable}.",
    ),
    "jht_partial_already_claimed": (
        "Klaim sebagian JHT hanya dapat dilakukan satu kali dan sudah pernah diambil.",
        "A partial JHT claim may be made once only and has already been taken.",
    ),
    "missing_birth_date": (
        "Tanggal lahir diperlukan untuk menentukan usia pensiun.",
        "The birth date is needed to determine the retirement age.",
    ),
    "missing_membership_start": (
        "Tanggal mulai kepesertaan diperlukan untuk klaim sebagian.",
        "The membership start date is needed for a partial claim.",
    ),
    # --- JKM
    "jkm_regime": (
        "Meninggal dunia pada {death}: berlaku {regulation}.",
        "Death on {death}: {regulation} applies.",
    ),
    "jkm_membership_not_active": (
        "JKM dibayar bila peserta meninggal dunia saat kepesertaan aktif.",
        "JKM is paid when the participant dies while membership is active.",
    ),
    "scholarship_min_months_met": (
        "Masa iur {months} bulan memenuhi syarat beasiswa (paling sedikit {minimum} bulan).",
        "{months} contribution months meet the scholarship condition (at least {minimum}).",
    ),
    "scholarship_min_months_short": (
        "Masa iur {months} bulan kurang dari {minimum} bulan: tidak ada beasiswa.",
        "{months} contribution months are fewer than {minimum}: no scholarship.",
    ),
    "scholarship_no_children": (
        "Tidak ada anak yang didaftarkan untuk beasiswa.",
        "No child was given for the scholarship.",
    ),
    "scholarship_children_limited": (
        "Beasiswa untuk paling banyak {count} anak; anak yang disebut pertama yang dihitung.",
        "Scholarship for at most {count} children; the first ones listed are counted.",
    ),
    "scholarship_is_maximum": (
        "Jadwal beasiswa adalah perkiraan paling tinggi: dibayar per tahun dengan bukti sekolah, "
        "berhenti pada usia {age}, menikah atau bekerja.",
        "The scholarship schedule is an upper estimate: paid yearly on school proof, ending at age "
        "{age}, marriage or work.",
    ),
    # --- JKK
    "jkk_regime": (
        "Kecelakaan pada {accident}: berlaku {regulation}.",
        "Accident on {accident}: {regulation} applies.",
    ),
    "jkk_claim_lapsed": (
        "Hak klaim JKK gugur {years} tahun setelah kecelakaan ({lapse}).",
        "The right to claim JKK lapses {years} years after the accident ({lapse}).",
    ),
    "jkk_claim_in_time": (
        "Klaim diajukan sebelum hak gugur ({lapse}).",
        "The claim is made before the right lapses ({lapse}).",
    ),
    "jkk_unknown_disability_item": (
        "Jenis cacat '{item}' tidak ada dalam tabel.",
        "Disability type '{item}' is not in the table.",
    ),
    # --- JP
    "jp_retirement_age_reached": (
        "Usia pensiun JP {age} tahun tercapai pada {payable}.",
        "The JP retirement age of {age} was reached on {payable}.",
    ),
    "jp_retirement_age_not_reached": (
        "Usia pensiun JP {age} tahun baru tercapai pada {payable}.",
        "The JP retirement age of {age} is reached only on {payable}.",
    ),
    "jp_monthly_pension": (
        "Masa iur {months} bulan (paling sedikit {minimum}): manfaat pensiun bulanan.",
        "{months} contribution months (at least {minimum}): monthly pension.",
    ),
    "jp_lump_sum": (
        "Masa iur {months} bulan kurang dari {minimum}: manfaat sekaligus (lumpsum).",
        "{months} contribution months, fewer than {minimum}: lump sum.",
    ),
    "jp_deemed_15_years": (
        "Masa iur dianggap {assumed} bulan: kepesertaan {membership} bulan (≥ {min_membership}) dan "
        "{paid_percent}% bulan dibayar (≥ {min_paid}%).",
        "Contribution months deemed {assumed}: membership {membership} months (≥ {min_membership}) and "
        "{paid_percent}% of months paid (≥ {min_paid}%).",
    ),
    "jp_not_deemed_15_years": (
        "Syarat dianggap 15 tahun tidak terpenuhi (kepesertaan {membership} bulan, {paid_percent}% dibayar): "
        "manfaat sekaligus.",
        "The 15-year rule does not apply (membership {membership} months, {paid_percent}% paid): lump sum.",
    ),
    "missing_birth_date_jp_death": (
        "Tanggal lahir tidak diberikan: kematian dianggap sebelum usia pensiun.",
        "No birth date given: the death is taken to be before retirement age.",
    ),
    "missing_membership_start_jp": (
        "Tanggal mulai kepesertaan tidak diberikan: lama kepesertaan dianggap sama dengan masa iur.",
        "No membership start date: membership is taken as equal to the contribution months.",
    ),
    # --- JKP
    "jkp_regime": (
        "PHK pada {termination}: berlaku {regulation}.",
        "Termination on {termination}: {regulation} applies.",
    ),
    "jkp_conditions_met": (
        "Syarat JKP terpenuhi: PHK, {months} bulan iuran dalam 24 bulan terakhir, {consecutive} bulan berturut-turut.",
        "JKP conditions met: PHK, {months} contribution months within the last 24, {consecutive} consecutive.",
    ),
    "jkp_reason_not_covered": (
        "JKP hanya untuk pemutusan hubungan kerja (PHK), bukan untuk alasan '{reason}'.",
        "JKP is only for a termination of employment (PHK), not for reason '{reason}'.",
    ),
    "jkp_contributions_short": (
        "Baru {months} bulan iuran dalam {window} bulan terakhir; paling sedikit {minimum} bulan.",
        "Only {months} contribution months within the last {window}; at least {minimum} are needed.",
    ),
    "jkp_consecutive_short": (
        "Baru {months} bulan iuran berturut-turut sebelum PHK; paling sedikit {minimum} bulan.",
        "Only {months} consecutive contribution months before the PHK; at least {minimum} are needed.",
    ),
    "jkp_registered_too_old": (
        "Terdaftar pada usia {age} tahun; JKP untuk peserta yang terdaftar sebelum usia {limit} tahun.",
        "Registered at age {age}; JKP is for participants registered before age {limit}.",
    ),
    "jkp_claim_deadline": (
        "Klaim JKP diajukan paling lambat {months} bulan sejak PHK ({until}).",
        "JKP must be claimed within {months} months of the PHK (by {until}).",
    ),
    "jkp_tax_not_computed": (
        "Manfaat uang tunai JKP dibayar per bulan; pajak tidak dihitung di sini.",
        "The JKP cash benefit is paid monthly; no tax is computed here.",
    ),
    # --- notes
    "estimate_from_contributions": (
        "Saldo diperkirakan dari riwayat iuran dengan hasil pengembangan tahunan; saldo resmi dapat berbeda.",
        "The balance is estimated from the contribution history with yearly returns; the official balance may differ.",
    ),
    "development_rate_unknown": (
        "Hasil pengembangan JHT tahun {year} tidak diketahui: tidak diperhitungkan (perkiraan lebih rendah).",
        "The JHT development rate for {year} is unknown: not credited (the estimate understates).",
    ),
    "jp_minimum_unknown": (
        "Manfaat pensiun minimum JP untuk {year} tidak diketahui: tidak diterapkan.",
        "The JP minimum pension for {year} is unknown: not applied.",
    ),
    "jp_maximum_unknown": (
        "Manfaat pensiun maksimum JP untuk {year} tidak diketahui: tidak diterapkan.",
        "The JP maximum pension for {year} is unknown: not applied.",
    ),
    "jp_minimum_applied": (
        "Formula di bawah minimum {year}: dibayar minimum.",
        "The formula is below the {year} minimum: the minimum is paid.",
    ),
    "jp_maximum_applied": (
        "Formula di atas maksimum {year}: dibayar maksimum.",
        "The formula is above the {year} maximum: the maximum is paid.",
    ),
    "jp_inflation_unknown": (
        "Inflasi tahun {year} tidak diketahui: upah tahun itu tidak diindeks untuk tahun tersebut.",
        "Inflation for {year} is unknown: wages are not indexed for that year.",
    ),
    "jp_lump_sum_returns_unknown": (
        "Hasil pengembangan iuran JP tidak tercatat: lumpsum diperkirakan dari iuran saja.",
        "JP returns are not recorded: the lump sum is estimated from contributions only.",
    ),
    "jp_wages_fewer_than_months": (
        "Upah diberikan untuk {wages} bulan dari {months} bulan iur: rata-rata dari bulan yang diberikan.",
        "Wages given for {wages} of {months} contribution months: averaged over the months given.",
    ),
    "jp_monthly_tax_not_computed": (
        "PPh 21 atas pensiun bulanan dipotong saat pembayaran dan tidak dihitung di sini.",
        "Income tax on a monthly pension is withheld when paid and is not computed here.",
    ),
    "tax_final_lump_sum": (
        "Dibayar sekaligus: PPh 21 final 0%/5% (PP 68/2009 ps. 5), berapa pun lama sejak {event}.",
        "Paid at once: final income tax of 0%/5% (PP 68/2009 ps. 5), however long after {event}.",
    ),
    "tax_progressive_partial": (
        "Klaim sebagian dikenai tarif progresif Pasal 17.",
        "A partial withdrawal is taxed at the progressive Pasal 17 rates.",
    ),
    "tax_progressive_after_partial": (
        "Klaim penuh setelah pernah klaim sebagian dipajaki sebagai pembayaran bertahap: tarif progresif Pasal 17.",
        "A full claim after an earlier partial withdrawal is taxed as a staged payment: progressive Pasal 17 rates.",
    ),
    "uncertain_rules": (
        "Sebagian ketentuan yang dipakai perkiraan ini belum terverifikasi, sehingga jumlahnya dapat berbeda: "
        "{references}.",
        "Some rules this estimate uses are not yet verified, so the amount may differ: {references}.",
    ),
    "future_date": (
        "Tanggal {on} belum tiba: dihitung dengan ketentuan yang tercatat hari ini ({today}); "
        "ketentuan dapat berubah sebelum tanggal itu.",
        "{on} is in the future: computed with the rules recorded today ({today}); "
        "they may change before then.",
    ),
    "jht_contribution_rate_used": (
        "Iuran dari upah dihitung {rate}% (iuran JHT pemberi kerja dan pekerja).",
        "Contributions from wages are counted at {rate}% (the employer's and the worker's JHT contribution).",
    ),
    "jkk_left_handed": (
        "Peserta kidal: persentase tangan/lengan kanan dan kiri dalam tabel dipertukarkan.",
        "Left-handed participant: the table's right and left arm/hand percentages are swapped.",
    ),
    "jp_limits_derived": (
        "Batas manfaat {year} belum tercatat: diturunkan dari batas {base_year} yang diindeks inflasi tahun sebelumnya.",
        "The {year} benefit limits are not recorded: derived from the {base_year} limits indexed by each previous year's inflation.",
    ),
    "jp_pension_from_next_month": (
        "Pensiun bulanan dibayar mulai tanggal 1 bulan berikutnya ({payable}).",
        "The monthly pension runs from the 1st of the following month ({payable}).",
    ),
    "jp_death_after_retirement_age": (
        "Peserta meninggal pada/setelah usia pensiun ({age} tahun pada {reached}): aturan dianggap 15 tahun tidak berlaku.",
        "The participant died at or after retirement age ({age} on {reached}): the 15-year rule does not apply.",
    ),
    "benefit_not_taxed": (
        "Santunan JKK/JKM bukan objek PPh yang dipotong di sini.",
        "JKK/JKM benefits are not subject to the income tax withheld here.",
    ),
}


class Words(NamedTuple):
    """A value shown in a message that differs by language (a reason's or a term's label)."""

    id: str
    en: str


# Codes that appear as values inside texts, and the words shown for them instead (issue 14: no code
# in any text a participant reads). Reasons have their own table in reasons.LABELS.
TERMS: dict[str, Words] = {
    "land": Words("darat", "land"),
    "sea": Words("laut", "sea"),
    "air": Words("udara", "air"),
    "spouse": Words("janda/duda", "widow's or widower's"),
    "child": Words("anak", "child's"),
    "parent": Words("orang tua", "parent's"),
}


def term(code: str) -> Words:
    return TERMS[code]


def text(code: str, **values: Any) -> tuple[str, str]:
    """Both language versions of ``code``, with dates and values filled in."""
    template_id, template_en = MESSAGES[code]
    return _fill(template_id, values, "id"), _fill(template_en, values, "en")


def _fill(template: str, values: dict[str, Any], language: str) -> str:
    return template.format(**{key: show(value, language) for key, value in values.items()})


def show(value: Any, language: str) -> str:
    """A value as a participant reads it: dates in the one long form ("Rabu, 1 April 2020"), words translated."""
    if isinstance(value, Words):
        return value.en if language == "en" else value.id
    if isinstance(value, date):
        return long_date(value, language)
    return str(value)


@lru_cache(maxsize=4096)
def long_date(value: date, language: str = "id") -> str:
    """``date(2020, 4, 1)`` → "Rabu, 1 April 2020" ("Wednesday, 1 April 2020"): the participant pages' one
    date format (lib.idtext.format_day, which the rules, a pure leaf, do not import)."""
    return format_date(value, "EEEE, d MMMM y", locale="en" if language == "en" else "id")


LABELS: dict[str, tuple[str, str]] = {
    "jht_balance": ("Saldo JHT", "JHT balance"),
    "jht_partial_10": (
        "Klaim sebagian JHT 10% (persiapan hari tua)",
        "Partial JHT claim 10% (retirement preparation)",
    ),
    "jht_partial_30": ("Klaim sebagian JHT 30% (perumahan)", "Partial JHT claim 30% (housing)"),
    "jkm_lump_sum": ("Santunan sekaligus JKM", "JKM lump-sum death benefit"),
    "jkm_periodic": (
        "Santunan berkala JKM (24 bulan, dibayar sekaligus)",
        "JKM periodic benefit (24 months, paid at once)",
    ),
    "jkm_funeral": ("Biaya pemakaman", "Funeral costs"),
    "scholarship_lump_sum": (
        "Beasiswa pendidikan anak (sekaligus)",
        "Children's education scholarship (one-off)",
    ),
    "scholarship_yearly": ("Beasiswa pendidikan anak (tahunan)", "Children's education scholarship (yearly)"),
    "jkk_stmb": (
        "STMB {percent}% selama {days} hari",
        "Wage while unable to work, {percent}% for {days} days",
    ),
    "jkk_partial_disability": ("Santunan cacat sebagian {percent}%", "Partial disability benefit {percent}%"),
    "jkk_total_disability": ("Santunan cacat total tetap", "Total permanent disability benefit"),
    "jkk_total_disability_periodic": (
        "Santunan berkala cacat total tetap",
        "Periodic benefit for total disability",
    ),
    "jkk_death": ("Santunan kematian akibat kecelakaan kerja", "Work-accident death benefit"),
    "jkk_death_periodic": ("Santunan berkala kematian", "Periodic death benefit"),
    "jkk_funeral": ("Biaya pemakaman", "Funeral costs"),
    "jkk_home_care": ("Perawatan di rumah (homecare)", "Home care"),
    "jkk_glasses": ("Kacamata", "Glasses"),
    "jkk_transport": ("Penggantian biaya transportasi ({mode})", "Transport reimbursement ({mode})"),
    "jp_monthly_pension": ("Manfaat pensiun bulanan", "Monthly pension"),
    "jkp_month": (
        "Manfaat uang tunai JKP bulan ke-{month} ({percent}% upah)",
        "JKP cash benefit, month {month} ({percent}% of wage)",
    ),
    "jp_survivor_pension": ("Manfaat pensiun {beneficiary} bulanan", "Monthly {beneficiary} pension"),
    "jp_disability_pension": ("Manfaat pensiun cacat bulanan", "Monthly disability pension"),
    "jp_lump_sum": (
        "Manfaat JP sekaligus (iuran dan hasil pengembangan)",
        "JP lump sum (contributions and returns)",
    ),
}


@per_process_text
def label(code: str, **values: Any) -> tuple[str, str]:
    label_id, label_en = LABELS[code]
    return _fill(label_id, values, "id"), _fill(label_en, values, "en")
