//! Partner (شريك): a foreign or national collectivity, an NGO, an organisation of local
//! governments or a public body the council cooperates with.

use super::text_enum;
use crate::error::Result;
use crate::{country, text};
use serde::{Deserialize, Serialize};

text_enum!(
    /// What kind of body a partner is (the legal basis of an agreement follows from it).
    PartnerKind {
        ForeignCollectivity = "foreign_collectivity",
        NationalCollectivity = "national_collectivity",
        ForeignNgo = "foreign_ngo",
        LocalGovOrganisation = "local_gov_organisation",
        PublicBody = "public_body",
        Other = "other",
    }
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PartnerData {
    pub kind: PartnerKind,
    pub name_ar: String,
    #[serde(default)]
    pub name_latin: String,
    /// The acronym or short name people write («CGLUA», «AIMF»), searched and matched on import.
    #[serde(default)]
    pub short_name: String,
    pub country: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub notes: String,
}

impl PartnerData {
    /// Normalises the fields and checks them; the first wrong field is reported.
    pub fn validate(mut self) -> Result<Self> {
        // Every wrong field said at once (model::Checks).
        let mut c = super::Checks::default();
        self.name_ar = c.take(text::line("name_ar", &self.name_ar, self.name_latin.trim().is_empty()));
        self.name_latin = c.take(text::line("name_latin", &self.name_latin, false));
        self.short_name = c.take(text::line("short_name", &self.short_name, false));
        self.country = c.take(country::check("country", &self.country));
        self.region = c.take(text::line("region", &self.region, false));
        self.city = c.take(text::line("city", &self.city, false));
        self.address = c.take(text::block("address", &self.address));
        self.notes = c.take(text::block("notes", &self.notes));
        let mut contacts = Vec::new();
        for (i, contact) in self.contacts.into_iter().enumerate() {
            let mut row = |checked: Result<String>| c.take(checked.map_err(|e| e.in_row(i)));
            let contact = Contact {
                name: row(text::line("contact_name", &contact.name, false)),
                role: row(text::line("contact_role", &contact.role, false)),
                email: row(text::email("contact_email", &contact.email)),
                phone: row(text::line("contact_phone", &contact.phone, false)),
            };
            if contact != Contact::default() {
                contacts.push(contact);
            }
        }
        self.contacts = contacts;
        c.done(self)
    }

    /// The name to show: Arabic in Arabic, Latin script otherwise, each falling back on the other.
    pub fn display_name(&self, lang: crate::Lang) -> &str {
        let (first, second) =
            if lang == crate::Lang::Ar { (&self.name_ar, &self.name_latin) } else { (&self.name_latin, &self.name_ar) };
        if first.is_empty() {
            second
        } else {
            first
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> PartnerData {
        PartnerData {
            kind: PartnerKind::ForeignCollectivity,
            name_ar: "بلدية مونت لا جولي".into(),
            name_latin: "Mantes-la-Jolie".into(),
            short_name: String::new(),
            country: "fr".into(),
            region: String::new(),
            city: String::new(),
            address: String::new(),
            contacts: vec![
                Contact::default(),
                Contact { name: "Raphaël".into(), email: "x@mantes.fr".into(), ..Default::default() },
            ],
            notes: String::new(),
        }
    }

    #[test]
    fn normalises_and_drops_empty_contacts() {
        let p = base().validate().unwrap();
        assert_eq!(p.country, "FR");
        assert_eq!(p.contacts.len(), 1);
    }

    #[test]
    fn one_name_is_enough_none_is_not() {
        let mut p = base();
        p.name_ar.clear();
        assert!(p.clone().validate().is_ok());
        p.name_latin.clear();
        assert_eq!(p.validate().unwrap_err().field(), Some("name_ar"));
    }

    #[test]
    fn bad_contact_email_names_its_field() {
        let mut p = base();
        p.contacts[1].email = "nope".into();
        let e = p.validate().unwrap_err();
        assert_eq!((e.field(), e.row()), (Some("contact_email"), Some(1)));
    }
}
