package workflows

import (
	"reflect"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/mallsync/mallsync/workflows/returns"
	syncwf "github.com/mallsync/mallsync/workflows/sync"
)

// Activities register under their method names: two families on one worker must not share one.
func TestActivityNamesAreDistinct(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, a := range []any{&syncwf.Activities{}, &returns.Activities{}} {
		ty := reflect.TypeOf(a)
		for i := 0; i < ty.NumMethod(); i++ {
			name := ty.Method(i).Name
			if other, ok := seen[name]; ok {
				t.Errorf("activity %s is a method of both %s and %s", name, other, ty)
			}
			seen[name] = ty.String()
		}
	}
}

// A worker without the returns family still registers the sync one, and one with it both.
func TestRegister(t *testing.T) {
	t.Parallel()
	for _, d := range []Deps{{Sync: &syncwf.Activities{}}, {Sync: &syncwf.Activities{}, Returns: &returns.Activities{}}} {
		var suite testsuite.WorkflowTestSuite
		Register(suite.NewTestWorkflowEnvironment(), d)
	}
}
