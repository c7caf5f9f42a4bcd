package catalogue

import (
	"fmt"
	"io/fs"
	"sort"

	"senco/internal/domain"
)

// The SEND self-review's framework: one file per version under
// data/self_review/, written in our own words from the areas settings
// already use. A published version never changes: a review keeps the
// version it was made with, and a new wording is a new file.

type reviewFile struct {
	Version int              `json:"version"`
	Areas   []reviewAreaFile `json:"areas"`
}

type reviewAreaFile struct {
	Code    string           `json:"code"`
	Title   string           `json:"title"`
	Summary string           `json:"summary"`
	Items   []reviewItemFile `json:"items"`
}

type reviewItemFile struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// ReviewFrameworks returns every version of the self-review framework, the
// oldest first; the last is the one new reviews use.
func ReviewFrameworks() ([]domain.ReviewFramework, error) {
	names, err := fs.Glob(data, "data/self_review/*.json")
	if err != nil {
		return nil, err
	}
	var out []domain.ReviewFramework
	for _, name := range names {
		var f reviewFile
		if err := decode(name, &f); err != nil {
			return nil, err
		}
		fw := domain.ReviewFramework{Version: f.Version}
		for _, a := range f.Areas {
			area := domain.ReviewArea{Code: a.Code, Title: a.Title, Summary: a.Summary}
			for _, it := range a.Items {
				area.Items = append(area.Items, domain.ReviewItem{Code: it.Code, Text: it.Text})
			}
			fw.Areas = append(fw.Areas, area)
		}
		if err := fw.Check(); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", name, err)
		}
		out = append(out, fw)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, f := range out {
		if f.Version != i+1 {
			return nil, fmt.Errorf("catalogue self-review: versions must run 1, 2, …; found %d", f.Version)
		}
	}
	return out, nil
}
