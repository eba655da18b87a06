package console

import "testing"

func TestMasking(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role  Role
		field personalField
		in    string
		want  string
	}{
		{RoleAgent, fieldPhone, "010-1234-5678", "010-1234-5678"},
		{RoleLogistics, fieldPhone, "010-1234-5678", "010-****-5678"},
		{RoleSales, fieldPhone, "01012345678", "010****5678"},
		{RoleSales, fieldPhone, "02-123-4567", "**-***-4567"},
		{RoleAdmin, fieldPhone, "010-1234-5678", "010-1234-5678"},
		{RoleLogistics, fieldAddress, "서울특별시 강남구 테헤란로 1", "서울특별시 강남구 테헤란로 1"},
		{RoleSales, fieldAddress, "서울특별시 강남구 테헤란로 1", "서울특별시 강남구 ***"},
		{RoleSales, fieldAddress, "서울", "***"},
		{RoleSales, fieldName, "김민수", "김**"},
		{RoleSales, fieldName, "", ""},
		{RoleAgent, fieldName, "김민수", "김민수"},
	}
	for _, tt := range tests {
		if got := maskFor(tt.role, tt.field, tt.in); got != tt.want {
			t.Errorf("maskFor(%s, %d, %q) = %q, want %q", tt.role, tt.field, tt.in, got, tt.want)
		}
	}
}
