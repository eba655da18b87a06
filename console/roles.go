package console

import (
	"slices"

	"github.com/mallsync/mallsync"
)

// taskAction is something a person does to tasks.
type taskAction string

// The task actions, named as they read in refusals ("agents may not reassign tasks").
const (
	actRead     taskAction = "read"
	actClaim    taskAction = "claim"
	actComplete taskAction = "complete"
	actMemo     taskAction = "add memos to"
	actReassign taskAction = "reassign"
	actPriority taskAction = "change the priority of"
)

// taskRoles says which roles may take each action on any task.
var taskRoles = map[taskAction][]Role{
	actRead:     {RoleAgent, RoleLogistics, RoleAdmin},
	actClaim:    {RoleLogistics, RoleAdmin},
	actComplete: {RoleLogistics, RoleAdmin},
	actMemo:     {RoleLogistics, RoleAdmin},
	actReassign: {RoleLogistics, RoleAdmin},
	actPriority: {RoleLogistics, RoleAdmin},
}

// Agents work photo reviews themselves (an agent's inspection, where the mall's policy says
// defect_verification: photo): they may claim them, complete them and add memos to them.
var (
	agentKinds   = []mallsync.TaskKind{mallsync.TaskPhotoReview}
	agentActions = []taskAction{actClaim, actComplete, actMemo}
)

// mayEver reports whether role may take action on some kind of task; may decides for a kind.
func mayEver(role Role, action taskAction) bool {
	return slices.Contains(taskRoles[action], role) || (role == RoleAgent && slices.Contains(agentActions, action))
}

// may reports whether role may take action on a task of kind.
func may(role Role, action taskAction, kind mallsync.TaskKind) bool {
	return slices.Contains(taskRoles[action], role) ||
		(role == RoleAgent && slices.Contains(agentActions, action) && slices.Contains(agentKinds, kind))
}
