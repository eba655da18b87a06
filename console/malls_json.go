package console

import (
	"time"

	"github.com/mallsync/mallsync"
)

// mallJSON is a mall as the API shows it, in the mall file's words. CredentialsRef is only the
// credential's name: nothing of the secret.
type mallJSON struct {
	Key         string        `json:"key"`
	Name        string        `json:"name"`
	Platform    string        `json:"platform"`
	Account     accountJSON   `json:"account"`
	Credentials string        `json:"credentials"`
	Sync        syncJSON      `json:"sync"`
	Ownership   ownershipJSON `json:"ownership"`
	Contacts    []contactJSON `json:"contacts"`
	Policy      policyJSON    `json:"policy"`
}

type accountJSON struct {
	MallID   string `json:"mall_id,omitempty"`
	ShopNo   int    `json:"shop_no,omitempty"`
	VendorID string `json:"vendor_id,omitempty"`
	SellerID string `json:"seller_id,omitempty"`
	APIBase  string `json:"api_base,omitempty"`
}

type syncJSON struct {
	Interval      string    `json:"interval"`
	BackfillStart time.Time `json:"backfill_start"`
	Lookback      string    `json:"lookback"`
}

type ownershipJSON struct {
	Default string     `json:"default"`
	Rules   []ruleJSON `json:"rules"`
}

type ruleJSON struct {
	SupplierCode string `json:"supplier_code,omitempty"`
	ProductCode  string `json:"product_code,omitempty"`
	Brand        string `json:"brand,omitempty"`
	TradingType  string `json:"trading_type,omitempty"`
	ShippingType string `json:"shipping_type,omitempty"`
	Ownership    string `json:"ownership"`
}

type contactJSON struct {
	Role  string `json:"role"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

type policyJSON struct {
	ReturnWithdrawal   bool   `json:"return_withdrawal"`
	PreshippedReorder  bool   `json:"preshipped_reorder"`
	DefectVerification string `json:"defect_verification"`
	DispatchDelay      struct {
		NoticeAfter string `json:"notice_after"`
		Credit      int64  `json:"credit"`
	} `json:"dispatch_delay"`
	Compensation struct {
		Kinds                 []string `json:"kinds"`
		MonthlyBudgetCount    int      `json:"monthly_budget_count"`
		MonthlyBudget         int64    `json:"monthly_budget"`
		SupplierBurdenPercent int      `json:"supplier_burden_percent"`
	} `json:"compensation"`
}

func toMallJSON(m mallsync.Mall) mallJSON {
	j := mallJSON{Key: string(m.Key), Name: m.Name, Platform: string(m.Platform), Credentials: m.CredentialsRef,
		Account: accountJSON{MallID: m.Account.MallID, ShopNo: m.Account.ShopNo, VendorID: m.Account.VendorID,
			SellerID: m.Account.SellerID, APIBase: m.Account.APIBase},
		Sync:      syncJSON{Interval: m.Sync.Interval.String(), BackfillStart: m.Sync.BackfillStart, Lookback: m.Sync.Lookback.String()},
		Ownership: ownershipJSON{Default: string(m.Ownership.Default), Rules: []ruleJSON{}},
		Contacts:  []contactJSON{}}
	for _, r := range m.Ownership.Rules {
		j.Ownership.Rules = append(j.Ownership.Rules, ruleJSON{SupplierCode: r.SupplierCode, ProductCode: r.ProductCode,
			Brand: r.Brand, TradingType: r.TradingType, ShippingType: r.ShippingType, Ownership: string(r.Ownership)})
	}
	for _, c := range m.Contacts {
		j.Contacts = append(j.Contacts, contactJSON(c))
	}
	p := m.Policy
	j.Policy.ReturnWithdrawal, j.Policy.PreshippedReorder = p.ReturnWithdrawal, p.PreshippedReorder
	j.Policy.DefectVerification = string(p.DefectVerification)
	j.Policy.DispatchDelay.NoticeAfter, j.Policy.DispatchDelay.Credit = p.DispatchDelay.NoticeAfter.String(), int64(p.DispatchDelay.Credit)
	j.Policy.Compensation.Kinds = append([]string{}, p.Compensation.Kinds...)
	j.Policy.Compensation.MonthlyBudgetCount = p.Compensation.MonthlyBudgetCount
	j.Policy.Compensation.MonthlyBudget = int64(p.Compensation.MonthlyBudget)
	j.Policy.Compensation.SupplierBurdenPercent = p.Compensation.SupplierBurdenPercent
	return j
}

// mallHealthJSON is a mall with what is stored for it and how each of its streams syncs.
type mallHealthJSON struct {
	mallJSON
	Connected bool         `json:"connected"`
	Orders    int64        `json:"orders"`
	Lines     int64        `json:"lines"`
	Streams   []streamJSON `json:"streams"`
}

// streamJSON is one stream's health. LagSeconds is the time since the stream last caught up
// with the platform; null when it never has.
type streamJSON struct {
	Stream         string     `json:"stream"`
	State          string     `json:"state"`
	LastRunAt      *time.Time `json:"last_run_at"`
	LastSuccessAt  *time.Time `json:"last_success_at"`
	LastCaughtUpAt *time.Time `json:"last_caught_up_at"`
	LagSeconds     *int64     `json:"lag_seconds"`
	LastError      string     `json:"last_error"`
	LastErrorAt    *time.Time `json:"last_error_at"`
	Runs           int64      `json:"runs"`
	Pages          int64      `json:"pages"`
	Lines          int64      `json:"lines"`
	APICalls       int64      `json:"api_calls"`
	Quarantined    int64      `json:"quarantined"`
}

func toMallHealthJSON(h mallsync.MallHealth, now time.Time) mallHealthJSON {
	j := mallHealthJSON{mallJSON: toMallJSON(h.Mall), Connected: h.Connected, Orders: h.Orders, Lines: h.Lines, Streams: []streamJSON{}}
	for _, s := range h.Streams {
		sj := streamJSON{Stream: string(s.Stream), State: string(streamState(s, h.Mall.Sync.Interval, now)),
			LastRunAt: s.LastRunAt, LastSuccessAt: s.LastSuccessAt, LastCaughtUpAt: s.LastCaughtUpAt, LastError: s.LastError,
			LastErrorAt: s.LastErrorAt, Runs: s.Runs, Pages: s.Pages, Lines: s.Lines, APICalls: s.APICalls, Quarantined: s.Quarantined}
		if lag, ok := streamLag(s, now); ok {
			secs := int64(lag / time.Second)
			sj.LagSeconds = &secs
		}
		j.Streams = append(j.Streams, sj)
	}
	return j
}
