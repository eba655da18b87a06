package mappings

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"go.yaml.in/yaml/v3"
)

// MallFileVersion is the mall file format version this package reads.
const MallFileVersion = 1

// Defaults applied when a mall file leaves a field out.
const (
	DefaultInterval = 5 * time.Minute
	DefaultLookback = 2 * time.Hour
	DefaultShopNo   = 1
)

// Bounds on sync settings.
const (
	MinInterval = 30 * time.Second
	MaxLookback = 48 * time.Hour
)

// KST is Korea Standard Time (UTC+9, no daylight saving). Dates in mall files are KST days.
var KST = time.FixedZone("KST", 9*60*60)

// The choices a mall file may use, in the order messages list them.
var (
	platforms          = []string{string(mallsync.PlatformCafe24), string(mallsync.PlatformSmartStore), string(mallsync.PlatformCoupang)}
	ownerships         = []string{string(mallsync.OwnConsignment), string(mallsync.OwnDirect), string(mallsync.OwnLogistics)}
	contactRoles       = []string{"md", "logistics", "cs", "sales"}
	defectVerification = []string{string(mallsync.VerifyByInspection), string(mallsync.VerifyByPhoto)}
	compensationKinds  = []string{"refund", "credit", "coupon", "receipt"}
)

var (
	mallKeyRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	credentialRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	cafe24MallRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	accountIDRe  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)
	relativeDay  = regexp.MustCompile(`^([0-9]{1,5})d$`)
	phoneRe      = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{2,24}$`)
)

const (
	expectKey       = "a mall key like demo-cafe24 (lowercase letters, digits and dashes, 2 to 63 long)"
	expectDuration  = "a duration like 5m or 1h"
	expectBackfill  = "a date like 2026-07-01 or a relative 120d"
	expectWon       = "an amount in won like 2000"
	expectCredsName = "the name of a stored credential (letters, digits, '.', '_', '-')"
)

// LoadMallFile reads and parses the mall file at path. See ParseMall.
func LoadMallFile(path string, now time.Time) (mallsync.Mall, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return mallsync.Mall{}, mallsync.Errorf(mallsync.ENOTFOUND, "mall file %s does not exist", path)
	}
	if err != nil {
		return mallsync.Mall{}, fmt.Errorf("reading mall file: %w", err)
	}
	return ParseMall(path, data, now)
}

// ParseMall parses and validates a mall file (format version 1, see the package doc). file
// names the file in error messages. now resolves a relative sync.backfill_start ("120d").
//
// On any problem it returns a *FileError listing every problem found with its position (a
// YAML syntax error stops the parse, so it comes alone). Defaults are filled in: the returned
// Mall is complete.
func ParseMall(file string, data []byte, now time.Time) (mallsync.Mall, error) {
	c := &checker{file: file}
	root := c.decodeDocument(data, "a mall file starting with version: 1")
	if root == nil {
		return mallsync.Mall{}, c.err()
	}
	m := c.mall(root, now)
	if err := c.err(); err != nil {
		return mallsync.Mall{}, err
	}
	return m, nil
}

func (c *checker) mall(root *yaml.Node, now time.Time) mallsync.Mall {
	var m mallsync.Mall
	top, ok := c.object(root, "", "a mall file (a mapping starting with version: 1)",
		"version", "key", "name", "platform", "account", "credentials", "sync", "ownership", "contacts", "policy")
	if !ok {
		return m
	}

	if v, n, ok := top.whole("version", "1"); ok && v != MallFileVersion {
		top.bad("version", n, "1")
	} else if n == nil {
		top.missing("version", "version: 1")
	}

	if s, n, ok := top.text("key", expectKey); ok {
		if mallKeyRe.MatchString(s) {
			m.Key = mallsync.MallKey(s)
		} else {
			top.bad("key", n, expectKey)
		}
	} else if n == nil {
		top.missing("key", expectKey)
	}

	const expectName = "the mall's name for people, like 데모 카페24 쇼핑몰"
	if s, n, ok := top.text("name", expectName); ok && strings.TrimSpace(s) != "" {
		m.Name = strings.TrimSpace(s)
	} else if ok {
		top.bad("name", n, expectName)
	} else if n == nil {
		top.missing("name", expectName)
	}

	platformOK := false
	if s, n, ok := top.text("platform", "one of "+strings.Join(platforms, ", ")); ok {
		if top.oneOf("platform", n, s, platforms) {
			m.Platform, platformOK = mallsync.Platform(s), true
		}
	} else if n == nil {
		top.missing("platform", "one of "+strings.Join(platforms, ", "))
	}

	if s, n, ok := top.text("credentials", expectCredsName); ok {
		if credentialRe.MatchString(s) {
			m.CredentialsRef = s
		} else {
			top.bad("credentials", n, expectCredsName)
		}
	} else if n == nil {
		top.missing("credentials", expectCredsName)
	}

	m.Account = c.account(top, m.Platform, platformOK)
	m.Sync = c.syncSettings(top, now)
	m.Ownership = c.ownership(top)
	m.Contacts = c.contacts(top)
	m.Policy = c.policy(top)
	return m
}

// accountFields lists which account fields each platform uses.
var accountFields = map[mallsync.Platform][]string{
	mallsync.PlatformCafe24:     {"mall_id", "shop_no", "api_base"},
	mallsync.PlatformSmartStore: {"seller_id", "api_base"},
	mallsync.PlatformCoupang:    {"vendor_id", "api_base"},
}

func (c *checker) account(top object, p mallsync.Platform, platformOK bool) mallsync.Account {
	var a mallsync.Account
	if p == mallsync.PlatformCafe24 {
		a.ShopNo = DefaultShopNo
	}
	n := top.raw("account")
	if n == nil && platformOK && p != mallsync.PlatformSmartStore {
		top.missing("account", fmt.Sprintf("a mapping with %s (%s needs it)", accountFields[p][0], p))
		return a
	}
	acc, ok := c.object(n, "account", "a mapping of account fields", "mall_id", "shop_no", "vendor_id", "seller_id", "api_base")
	if !ok {
		return a
	}
	// Fields the platform does not use are mistakes worth pointing out.
	if platformOK {
		used := accountFields[p]
		for _, f := range []string{"mall_id", "shop_no", "vendor_id", "seller_id"} {
			if k := acc.keys[f]; k != nil && !slices.Contains(used, f) {
				c.at(k, "account.%s: not used by %s; expected %s", f, p, strings.Join(used, ", "))
			}
		}
	}

	if s, v, ok := acc.text("api_base", "an http(s) URL"); ok && s != "" {
		if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			acc.bad("api_base", v, "an http(s) URL like http://127.0.0.1:8081")
		} else {
			a.APIBase = s
		}
	}

	switch {
	case !platformOK:
		return a
	case p == mallsync.PlatformCafe24:
		const expect = "the Cafe24 mall id, the part before .cafe24api.com"
		if s, v, ok := acc.text("mall_id", expect); ok {
			if cafe24MallRe.MatchString(s) {
				a.MallID = s
			} else {
				acc.bad("mall_id", v, expect)
			}
		} else if v == nil {
			acc.missing("mall_id", expect)
		}
		if sn, v, ok := acc.whole("shop_no", "a shop number, 1 or more"); ok {
			if sn >= 1 && sn <= 1<<20 {
				a.ShopNo = int(sn)
			} else {
				acc.bad("shop_no", v, "a shop number, 1 or more")
			}
		}
	case p == mallsync.PlatformCoupang:
		const expect = "the Coupang vendor id like A00012345"
		if s, v, ok := acc.text("vendor_id", expect); ok {
			if accountIDRe.MatchString(s) {
				a.VendorID = s
			} else {
				acc.bad("vendor_id", v, expect)
			}
		} else if v == nil {
			acc.missing("vendor_id", expect)
		}
	case p == mallsync.PlatformSmartStore:
		const expect = "the SmartStore seller id"
		if s, v, ok := acc.text("seller_id", expect); ok {
			if accountIDRe.MatchString(s) {
				a.SellerID = s
			} else {
				acc.bad("seller_id", v, expect)
			}
		}
	}
	return a
}

func (c *checker) syncSettings(top object, now time.Time) mallsync.SyncSettings {
	s := mallsync.SyncSettings{Interval: DefaultInterval, Lookback: DefaultLookback}
	n := top.raw("sync")
	if n == nil {
		top.missing("sync", "a mapping with at least backfill_start")
		return s
	}
	o, ok := c.object(n, "sync", "a mapping of sync settings", "interval", "backfill_start", "lookback")
	if !ok {
		return s
	}
	if d, ok := o.duration("interval"); ok {
		if d >= MinInterval {
			s.Interval = d
		} else {
			o.bad("interval", o.get("interval"), "a duration of at least 30s")
		}
	}
	if d, ok := o.duration("lookback"); ok {
		if d >= 0 && d <= MaxLookback {
			s.Lookback = d
		} else {
			o.bad("lookback", o.get("lookback"), "a duration from 0 to 48h")
		}
	}
	if t, ok := o.backfill("backfill_start", now); ok {
		s.BackfillStart = t
	} else if o.get("backfill_start") == nil {
		o.missing("backfill_start", expectBackfill)
	}
	return s
}

// duration reads a Go duration ("5m", "1h30m"). A bare 0 is allowed.
func (o object) duration(name string) (time.Duration, bool) {
	s, n, ok := o.text(name, expectDuration)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		o.bad(name, n, expectDuration)
		return 0, false
	}
	return d, true
}

// backfill reads a KST date (its day start), an RFC 3339 time, or "<n>d": the start of the KST
// day n days before now.
func (o object) backfill(name string, now time.Time) (time.Time, bool) {
	s, n, ok := o.text(name, expectBackfill)
	if !ok {
		return time.Time{}, false
	}
	if m := relativeDay.FindStringSubmatch(s); m != nil {
		days, _ := strconv.Atoi(m[1])
		y, mo, d := now.In(KST).Date()
		return time.Date(y, mo, d-days, 0, 0, 0, 0, KST), true
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, KST); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	o.bad(name, n, expectBackfill)
	return time.Time{}, false
}

// won reads a non-negative amount of won.
func (o object) won(name string) (mallsync.Money, bool) {
	v, n, ok := o.whole(name, expectWon)
	if !ok {
		return 0, false
	}
	if v < 0 {
		o.bad(name, n, expectWon+", not negative")
		return 0, false
	}
	return mallsync.Money(v), true
}

func (c *checker) ownership(top object) mallsync.OwnershipRules {
	r := mallsync.OwnershipRules{Default: mallsync.OwnDirect}
	o, ok := c.object(top.raw("ownership"), "ownership", "a mapping with default and rules", "default", "rules")
	if !ok {
		return r
	}
	expect := "one of " + strings.Join(ownerships, ", ")
	if s, n, ok := o.text("default", expect); ok && o.oneOf("default", n, s, ownerships) {
		r.Default = mallsync.Ownership(s)
	}
	for i, item := range o.list("rules", "a list of rules") {
		path := fmt.Sprintf("ownership.rules[%d]", i)
		ro, ok := c.object(item, path, "a rule (supplier_code, product_code or brand, and ownership)",
			"supplier_code", "product_code", "brand", "trading_type", "shipping_type", "ownership")
		if !ok {
			continue
		}
		if isNull(item) {
			c.at(item, "%s: expected a rule (supplier_code, product_code or brand, and ownership), got nothing", path)
			continue
		}
		var rule mallsync.OwnershipRule
		rule.SupplierCode, _, _ = ro.text("supplier_code", "a supplier code like S0000001")
		rule.ProductCode, _, _ = ro.text("product_code", "a product code")
		rule.Brand, _, _ = ro.text("brand", "a brand name")
		rule.TradingType, _, _ = ro.text("trading_type", "the supplier's trading type on the platform (Cafe24 D or C)")
		rule.ShippingType, _, _ = ro.text("shipping_type", "the product's shipping type on the platform (Cafe24 D, C or E)")
		if rule.SupplierCode == "" && rule.ProductCode == "" && rule.Brand == "" && rule.TradingType == "" && rule.ShippingType == "" {
			c.at(ro.node, "%s: expected at least one of supplier_code, product_code, brand, trading_type, shipping_type", path)
		}
		if s, n, ok := ro.text("ownership", expect); ok {
			if ro.oneOf("ownership", n, s, ownerships) {
				rule.Ownership = mallsync.Ownership(s)
			}
		} else if n == nil {
			ro.missing("ownership", expect)
		}
		r.Rules = append(r.Rules, rule)
	}
	return r
}

func (c *checker) contacts(top object) []mallsync.Contact {
	var out []mallsync.Contact
	for i, item := range top.list("contacts", "a list of contacts") {
		path := fmt.Sprintf("contacts[%d]", i)
		o, ok := c.object(item, path, "a contact (role, name, email, phone)", "role", "name", "email", "phone")
		if !ok {
			continue
		}
		if isNull(item) {
			c.at(item, "%s: expected a contact (role, name, email, phone), got nothing", path)
			continue
		}
		var ct mallsync.Contact
		expectRole := "one of " + strings.Join(contactRoles, ", ")
		if s, n, ok := o.text("role", expectRole); ok {
			if o.oneOf("role", n, s, contactRoles) {
				ct.Role = s
			}
		} else if n == nil {
			o.missing("role", expectRole)
		}
		if s, n, ok := o.text("name", "a person's name"); ok && strings.TrimSpace(s) != "" {
			ct.Name = strings.TrimSpace(s)
		} else if ok {
			o.bad("name", n, "a person's name")
		} else if n == nil {
			o.missing("name", "a person's name")
		}
		const expectEmail = "an email address like md@example.com"
		if s, n, ok := o.text("email", expectEmail); ok {
			if validEmail(s) {
				ct.Email = s
			} else {
				o.bad("email", n, expectEmail)
			}
		}
		const expectPhone = "a phone number like 02-1234-5678"
		if s, n, ok := o.text("phone", expectPhone); ok {
			if phoneRe.MatchString(s) {
				ct.Phone = s
			} else {
				o.bad("phone", n, expectPhone)
			}
		}
		out = append(out, ct)
	}
	return out
}

func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t<>,;") &&
		!strings.Contains(domain, "@") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func (c *checker) policy(top object) mallsync.Policy {
	p := mallsync.Policy{DefectVerification: mallsync.VerifyByInspection}
	o, ok := c.object(top.raw("policy"), "policy", "a mapping of policy settings",
		"return_withdrawal", "preshipped_reorder", "defect_verification", "dispatch_delay", "compensation")
	if !ok {
		return p
	}
	p.ReturnWithdrawal, _ = o.boolean("return_withdrawal")
	p.PreshippedReorder, _ = o.boolean("preshipped_reorder")
	expectDefect := "one of " + strings.Join(defectVerification, ", ")
	if s, n, ok := o.text("defect_verification", expectDefect); ok && o.oneOf("defect_verification", n, s, defectVerification) {
		p.DefectVerification = mallsync.DefectVerification(s)
	}

	if dd, ok := c.object(o.raw("dispatch_delay"), "policy.dispatch_delay", "a mapping with notice_after and credit",
		"notice_after", "credit"); ok {
		if d, ok := dd.duration("notice_after"); ok {
			if d >= 0 {
				p.DispatchDelay.NoticeAfter = d
			} else {
				dd.bad("notice_after", dd.get("notice_after"), "a duration like 72h, not negative")
			}
		}
		p.DispatchDelay.Credit, _ = dd.won("credit")
	}

	if co, ok := c.object(o.raw("compensation"), "policy.compensation", "a mapping of compensation settings",
		"kinds", "monthly_budget_count", "monthly_budget", "supplier_burden_percent"); ok {
		expectKind := "one of " + strings.Join(compensationKinds, ", ")
		seen := map[string]bool{}
		for i, k := range co.list("kinds", "a list like [refund, credit, coupon, receipt]") {
			name := fmt.Sprintf("kinds[%d]", i)
			if k.Kind != yaml.ScalarNode || isNull(k) {
				co.bad(name, k, expectKind)
				continue
			}
			if !co.oneOf(name, k, k.Value, compensationKinds) {
				continue
			}
			if seen[k.Value] {
				c.at(k, "policy.compensation.%s: %q is listed twice", name, k.Value)
				continue
			}
			seen[k.Value] = true
			p.Compensation.Kinds = append(p.Compensation.Kinds, k.Value)
		}
		const expectCount = "a number of cases per month, 0 or more"
		if v, n, ok := co.whole("monthly_budget_count", expectCount); ok {
			if v >= 0 && v <= 1<<31-1 {
				p.Compensation.MonthlyBudgetCount = int(v)
			} else {
				co.bad("monthly_budget_count", n, expectCount)
			}
		}
		p.Compensation.MonthlyBudget, _ = co.won("monthly_budget")
		const expectPercent = "a percentage from 0 to 100"
		if v, n, ok := co.whole("supplier_burden_percent", expectPercent); ok {
			if v >= 0 && v <= 100 {
				p.Compensation.SupplierBurdenPercent = int(v)
			} else {
				co.bad("supplier_burden_percent", n, expectPercent)
			}
		}
	}
	return p
}
