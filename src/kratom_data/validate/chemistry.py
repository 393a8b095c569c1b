"""Structures must agree with their identifiers: formula, molar mass and InChIKey are computed from SMILES by RDKit."""

from __future__ import annotations

from ..problems import Problem

MASS_TOLERANCE = 0.01


def computed(smiles: str) -> dict[str, str] | None:
    """Identifiers RDKit derives from a SMILES, or None when it does not parse."""
    from rdkit import Chem, RDLogger
    from rdkit.Chem import Descriptors, rdMolDescriptors

    RDLogger.DisableLog("rdApp.*")
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return None
    return {
        "formula": rdMolDescriptors.CalcMolFormula(mol),
        "molar_mass": f"{Descriptors.MolWt(mol):.2f}",
        "inchikey": Chem.MolToInchiKey(mol),
    }


def check(rows: list[tuple[int, dict[str, str]]]) -> list[Problem]:
    out = []
    for line, row in rows:
        if not row["smiles"]:
            continue
        expected = computed(row["smiles"])
        if expected is None:
            out.append(Problem("alkaloids", line, "smiles", "smiles-parse", row["smiles"], "RDKit cannot parse this SMILES", "copy the isomeric SMILES again from the source (check brackets, ring numbers and charges)", "domain"))
            continue
        for column in ("formula", "inchikey"):
            if row[column] and row[column] != expected[column]:
                out.append(Problem("alkaloids", line, column, f"smiles-{column}", row[column], f"{column} disagrees with the SMILES, which gives {expected[column]}", f"set {column} to {expected[column]} if the SMILES is right, otherwise fix the SMILES", "domain"))
        if row["molar_mass"]:
            try:
                off = abs(float(row["molar_mass"]) - float(expected["molar_mass"])) > MASS_TOLERANCE
            except ValueError:
                continue  # not a number: Frictionless reports the type error
            if off:
                out.append(Problem("alkaloids", line, "molar_mass", "smiles-molar-mass", row["molar_mass"], f"molar_mass disagrees with the SMILES, which gives {expected['molar_mass']}", f"set molar_mass to {expected['molar_mass']} if the SMILES is right", "domain"))
    return out
