package console

import (
	"strings"
	"unicode/utf8"
)

// personalField is a kind of personal data the console may show.
type personalField int

// The personal fields.
const (
	fieldPhone personalField = iota
	fieldAddress
	fieldName
)

// seesPersonal says which roles need each field unmasked: agents call and write to buyers,
// logistics ship re-shipments to the receiver (name and address, not the phone), sales need
// none of it. Admins see everything.
var seesPersonal = map[personalField][]Role{
	fieldPhone:   {RoleAgent, RoleAdmin},
	fieldAddress: {RoleAgent, RoleLogistics, RoleAdmin},
	fieldName:    {RoleAgent, RoleLogistics, RoleAdmin},
}

// sees reports whether role may see field unmasked.
func sees(role Role, field personalField) bool {
	for _, r := range seesPersonal[field] {
		if r == role {
			return true
		}
	}
	return false
}

// maskFor returns v as role may see it.
func maskFor(role Role, field personalField, v string) string {
	if v == "" || sees(role, field) {
		return v
	}
	switch field {
	case fieldPhone:
		return maskPhone(v)
	case fieldAddress:
		return maskAddress(v)
	default:
		return maskName(v)
	}
}

// maskPhone keeps a phone's last four digits and its shape: 010-****-5678.
func maskPhone(p string) string {
	digits := 0
	for _, r := range p {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	var b strings.Builder
	seen := 0
	for _, r := range p {
		if r >= '0' && r <= '9' {
			seen++
			if seen <= 3 && digits >= 10 || seen > digits-4 {
				b.WriteRune(r)
			} else {
				b.WriteByte('*')
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maskAddress keeps the first two words (시/도 and 구/군) of an address: 서울특별시 강남구 ***.
func maskAddress(a string) string {
	words := strings.Fields(a)
	if len(words) <= 2 {
		return "***"
	}
	return strings.Join(words[:2], " ") + " ***"
}

// maskName keeps a name's first character: 김**.
func maskName(n string) string {
	r, size := utf8.DecodeRuneInString(n)
	rest := utf8.RuneCountInString(n[size:])
	if rest == 0 {
		return "*"
	}
	return string(r) + strings.Repeat("*", rest)
}
